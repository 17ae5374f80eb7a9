/** One convention for units and one palette, whichever view prints them. */
import { describe, expect, it } from 'vitest';
import * as review from '../../src/cli/review/format.js';
import { escapesOf, inkColor, makeStyle, toneOf } from '../../src/cli/theme.js';
import * as ui from '../../src/cli/ui/format.js';
import { oneLine } from '../../src/core/text.js';
import { formatAgo, formatBytes, formatDuration, formatTokens } from '../../src/core/units.js';

describe('units', () => {
  it('the session UI and the review views print the same units', () => {
    for (const view of [ui, review]) {
      expect(view.formatDuration).toBe(formatDuration);
      expect(view.formatTokens).toBe(formatTokens);
      expect(view.oneLine).toBe(oneLine);
    }
    expect([184_000, 7_500_000].map(formatDuration)).toEqual(['3m04s', '2h05m']);
    expect([12_345, 999_949, 999_950].map(formatTokens)).toEqual(['12.3k', '999.9k', '1.0M']);
  });

  it('formats bytes in decimal units, or in the unit asked for', () => {
    expect([850, 12_345, 999_960, 1_234_567, 3e9].map((b) => formatBytes(b))).toEqual(['850 B', '12.3 kB', '1.0 MB', '1.2 MB', '3.0 GB']);
    expect(formatBytes(120_000, 'MB')).toBe('0.1 MB');
  });

  it('says how long ago, or the date past a month', () => {
    const now = new Date(2025, 5, 15, 12, 0).getTime();
    expect(formatAgo(now - 5 * 60_000, now)).toBe('5m ago');
    expect(formatAgo(new Date(2025, 1, 3).getTime(), now)).toBe('Feb 3');
  });
});

describe('theme', () => {
  it('one palette: ink colour names and ANSI escapes for the same tone; NO_COLOR drops colour only', () => {
    expect(inkColor('error', {})).toBe('red');
    expect(inkColor('error', { NO_COLOR: '1' })).toBeUndefined();
    expect(makeStyle(true).error('x')).toBe('\x1b[31mx\x1b[39m');
    expect(makeStyle(false, true).dim('x')).toBe('\x1b[2mx\x1b[22m');
    expect(makeStyle(false).bold('x')).toBe('x');
    expect(toneOf('waiting_user')).toBe('warn');
    expect(escapesOf(makeStyle(true).ok)).toEqual(['\x1b[32m', '\x1b[39m']);
  });
});

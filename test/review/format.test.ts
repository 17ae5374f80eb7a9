import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import {
  formatAge,
  formatCost,
  formatDuration,
  formatFeedback,
  formatTokens,
  makeStyle,
  oneLine,
  table,
  terminalView,
  wrap,
} from '../../src/cli/review/format.js';
import { parseTimeSpec } from '../../src/cli/review/time-spec.js';

describe('human units', () => {
  it('formats durations, costs, tokens and feedback the way the views print them', () => {
    expect([850, 1200, 59_940, 184_000, 7_500_000].map(formatDuration)).toEqual(['850ms', '1.2s', '59.9s', '3m04s', '2h05m']);
    expect(formatDuration(null)).toBe('-');
    expect([0.0123, 0.5, 12.345].map(formatCost)).toEqual(['$0.0123', '$0.5000', '$12.35']);
    expect([850, 12_345, 1_234_567].map(formatTokens)).toEqual(['850', '12.3k', '1.2M']);
    expect([formatFeedback(2, 0), formatFeedback(0, 1), formatFeedback(1, 1), formatFeedback(0, 0)]).toEqual(['+2', '-1', '+1/-1', '']);
  });

  it('gives short ages, and a date past 30 days', () => {
    const now = new Date(2025, 5, 15, 12, 0).getTime();
    expect([45_000, 12 * 60_000, 5 * 3_600_000, 3 * 86_400_000].map((ago) => formatAge(now - ago, now))).toEqual(['45s', '12m', '5h', '3d']);
    expect(formatAge(new Date(2025, 1, 3).getTime(), now)).toBe('Feb 3');
    expect(formatAge(new Date(2024, 10, 3).getTime(), now)).toBe('Nov 2024');
  });
});

describe('time specs (--since, --older-than)', () => {
  const now = Date.UTC(2025, 0, 31, 12);
  it('accepts ages and ISO dates', () => {
    expect(parseTimeSpec('30m', '--since', now)).toBe(now - 30 * 60_000);
    expect(parseTimeSpec('12h', '--since', now)).toBe(now - 12 * 3_600_000);
    expect(parseTimeSpec('7d', '--since', now)).toBe(now - 7 * 86_400_000);
    expect(parseTimeSpec('2w', '--since', now)).toBe(now - 14 * 86_400_000);
    expect(parseTimeSpec('2025-01-02', '--since', now)).toBe(new Date(2025, 0, 2).getTime()); // local midnight
    expect(parseTimeSpec('2025-01-02T03:04:05Z', '--since', now)).toBe(Date.UTC(2025, 0, 2, 3, 4, 5));
  });
  it('rejects anything else with a UserError naming the flag', () => {
    for (const bad of ['yesterday', '7', '7 days', '-3d', '2025-13-45', '']) {
      expect(() => parseTimeSpec(bad, '--older-than', now)).toThrow(UserError);
    }
    expect(() => parseTimeSpec('soon', '--older-than', now)).toThrow(/^--older-than takes an age like 30m, 12h, 7d, 2w or a date like 2025-01-31, not "soon"$/);
  });
});

describe('text layout', () => {
  it('cuts and wraps text', () => {
    expect(oneLine('a  b\n\tc', 10)).toBe('a b c');
    expect(oneLine('abcdefghij', 5)).toBe('abcd…');
    expect(wrap('one two three four five six seven eight nine ten eleven twelve', 20)).toEqual([
      'one two three four',
      'five six seven eight',
      'nine ten eleven',
      'twelve',
    ]);
    expect(wrap('a\nb\nc\nd', 20, 2)).toEqual(['a', 'b …']);
  });

  it('aligns columns and puts the wide text inline when it fits, below when it does not', () => {
    const style = makeStyle(false);
    const columns = [{ header: 'ID' }, { header: 'N', align: 'right' as const }];
    const rows = [
      { cells: ['a', '1'], wide: 'first prompt' },
      { cells: ['bbb', '22'], wide: 'second prompt' },
    ];
    expect(table(columns, rows, { width: 80, style }).split('\n')).toEqual(['ID    N  PROMPT', 'a     1  first prompt', 'bbb  22  second prompt']);
    expect(table(columns, rows, { width: 30, style }).split('\n')).toEqual(['ID    N', 'a     1', '     first prompt', 'bbb  22', '     second prompt']);
  });

  it('colours only on a TTY without NO_COLOR', () => {
    const tty = { isTTY: true, columns: 120 } as NodeJS.WriteStream;
    expect(terminalView(tty, {})).toEqual({ color: true, width: 120 });
    expect(terminalView(tty, { NO_COLOR: '1' }).color).toBe(false);
    expect(terminalView({ isTTY: false } as NodeJS.WriteStream, {})).toEqual({ color: false, width: 80 });
    expect(makeStyle(true).error('x')).toBe('\x1b[31mx\x1b[39m');
    expect(makeStyle(false).error('x')).toBe('x');
  });
});

import { describe, expect, it } from 'vitest';
import { diffLineTone, foldDiff, paintDiff } from '../../src/cli/render/diff-lines.js';
import { makeStyle } from '../../src/cli/theme.js';

const diff = ['--- a/a.txt', '+++ b/a.txt', '@@ -1,2 +1,2 @@', ' same', '-old line', '+new line', '\\ No newline at end of file'].join('\n');

describe('diff lines', () => {
  it('tones: + added, - removed, @@ accent; file headers and context plain', () => {
    expect(diff.split('\n').map(diffLineTone)).toEqual([undefined, undefined, 'accent', undefined, 'removed', 'added', undefined]);
  });

  it('folds to the first changed lines and counts the rest', () => {
    expect(foldDiff(diff, 1)).toEqual({ lines: ['-old line'], more: 1 });
    expect(foldDiff(diff, 4)).toEqual({ lines: ['-old line', '+new line'], more: 0 });
  });

  it('paints ANSI on a terminal (headers bold) and nothing without colour', () => {
    const painted = paintDiff(diff, makeStyle(true));
    expect(painted).toContain('\x1b[1m--- a/a.txt\x1b[22m');
    expect(painted).toContain('\x1b[36m@@ -1,2 +1,2 @@\x1b[39m');
    expect(painted).toContain('\x1b[31m-old line\x1b[39m');
    expect(painted).toContain('\x1b[32m+new line\x1b[39m');
    expect(paintDiff(diff, makeStyle(false))).toBe(diff);
  });
});

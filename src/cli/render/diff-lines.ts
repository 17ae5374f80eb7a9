/**
 * Unified diffs for people: which tone each line takes (the session's ink components and the
 * review commands' ANSI text colour them alike), and the fold the transcript shows after an edit.
 * Loads nothing, so `baton show --diff` stays free of ink.
 */
import type { Style, Tone } from '../theme.js';

/** Added lines green, removed red, hunk headers cyan; the file headers (`---`, `+++`) and context plain. */
export function diffLineTone(line: string): Tone | undefined {
  if (line.startsWith('+++ ') || line.startsWith('--- ')) return undefined;
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  if (line.startsWith('@@')) return 'accent';
  return undefined;
}

const isChange = (line: string) => (line.startsWith('+') && !line.startsWith('+++ ')) || (line.startsWith('-') && !line.startsWith('--- '));

/**
 * A diff folded to its first `max` changed lines (added or removed; headers and context left
 * out), and how many changed lines are not shown.
 */
export function foldDiff(diff: string, max: number): { lines: string[]; more: number } {
  const changed = diff.split('\n').filter(isChange);
  return { lines: changed.slice(0, max), more: Math.max(0, changed.length - max) };
}

/** A whole diff as ANSI text in the palette's tones; file headers bold. */
export function paintDiff(diff: string, style: Style): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++ ') || line.startsWith('--- ')) return style.bold(line);
      const tone = diffLineTone(line);
      return tone ? style[tone](line) : line;
    })
    .join('\n');
}

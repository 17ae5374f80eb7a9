/**
 * The prompt editor's model: multi-line text with a cursor, and prompt history. Pure functions, so
 * every editing key is tested without a terminal.
 */
import type { KeyPress } from './keys.js';

export interface EditorState {
  text: string;
  /** Index into `text`. */
  cursor: number;
}

export const emptyEditor: EditorState = { text: '', cursor: 0 };

export function insert(s: EditorState, chars: string): EditorState {
  return { text: s.text.slice(0, s.cursor) + chars + s.text.slice(s.cursor), cursor: s.cursor + chars.length };
}

/** Where the cursor is: line and column, and the offsets where lines start. */
export function position(s: EditorState): { line: number; col: number; starts: number[] } {
  const starts = [0];
  for (let i = s.text.indexOf('\n'); i >= 0; i = s.text.indexOf('\n', i + 1)) starts.push(i + 1);
  let line = starts.length - 1;
  while (starts[line]! > s.cursor) line--;
  return { line, col: s.cursor - starts[line]!, starts };
}

const lineEnd = (s: EditorState, starts: number[], line: number): number => (line + 1 < starts.length ? starts[line + 1]! - 1 : s.text.length);

/** Moves the cursor up or down a line; undefined when it is already on the first/last line (history's turn). */
export function verticalMove(s: EditorState, dir: -1 | 1): EditorState | undefined {
  const { line, col, starts } = position(s);
  const target = line + dir;
  if (target < 0 || target >= starts.length) return undefined;
  return { ...s, cursor: Math.min(starts[target]! + col, lineEnd(s, starts, target)) };
}

function wordStart(text: string, from: number): number {
  let i = from;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  while (i > 0 && !/\s/.test(text[i - 1]!)) i--;
  return i;
}

function wordEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  while (i < text.length && !/\s/.test(text[i]!)) i++;
  return i;
}

/** Applies an editing key; undefined when the key is not an editing key. */
export function edit(s: EditorState, key: KeyPress): EditorState | undefined {
  const { text, cursor } = s;
  switch (key.name) {
    case 'text':
    case 'paste':
      return insert(s, key.text);
    case 'newline':
      return insert(s, '\n');
    case 'backspace':
      return cursor === 0 ? s : { text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1 };
    case 'delete':
      return { text: text.slice(0, cursor) + text.slice(cursor + 1), cursor };
    case 'left':
      return { text, cursor: Math.max(0, cursor - 1) };
    case 'right':
      return { text, cursor: Math.min(text.length, cursor + 1) };
    case 'wordLeft':
      return { text, cursor: wordStart(text, cursor) };
    case 'wordRight':
      return { text, cursor: wordEnd(text, cursor) };
    case 'home': {
      const { line, starts } = position(s);
      return { text, cursor: starts[line]! };
    }
    case 'end': {
      const { line, starts } = position(s);
      return { text, cursor: lineEnd(s, starts, line) };
    }
    case 'killBefore': {
      const { line, starts } = position(s);
      return { text: text.slice(0, starts[line]!) + text.slice(cursor), cursor: starts[line]! };
    }
    case 'killAfter': {
      const { line, starts } = position(s);
      return { text: text.slice(0, cursor) + text.slice(lineEnd(s, starts, line)), cursor };
    }
    case 'killWord': {
      const start = wordStart(text, cursor);
      return { text: text.slice(0, start) + text.slice(cursor), cursor: start };
    }
    default:
      return undefined;
  }
}

/**
 * Prompt history, oldest first. Walking away from the newest entry keeps the unsent draft, and
 * walking back past the newest restores it.
 */
export class HistoryCursor {
  private index: number;
  private draft = '';

  constructor(private readonly entries: readonly string[]) {
    this.index = entries.length;
  }

  /** Text to show for going back (-1) or forward (+1), or undefined at either end. */
  move(dir: -1 | 1, current: string): string | undefined {
    const next = this.index + dir;
    if (next < 0 || next > this.entries.length) return undefined;
    if (this.index === this.entries.length) this.draft = current;
    this.index = next;
    return next === this.entries.length ? this.draft : this.entries[next];
  }
}

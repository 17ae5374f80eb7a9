/**
 * Styled text laid out in lines: what the markdown renderer produces and what the ink and ANSI
 * renderers draw. Colours are ink/chalk colour names, already dropped when colours are off.
 */
import stringWidth from 'string-width';

export interface Style {
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  color?: string | undefined;
}

export interface Segment {
  text: string;
  style?: Style | undefined;
}

/** One screen line; it never holds a line break and is at most the width it was laid out for. */
export type Line = Segment[];

/**
 * Characters one column wide that the renderer itself draws or answers often hold: printable
 * ASCII, Latin letters, punctuation, box drawing, bullets and check boxes. Text of only these
 * skips string-width, which was the renderer's largest cost.
 */
const NARROW = /^[\x20-\x7e\u00a1-\u00ac\u00ae-\u024f\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u257f\u25aa\u25e6\u2610\u2611]*$/;

/** Columns `text` takes on a terminal (wide CJK and emoji count two). */
export function displayWidth(text: string): number {
  return NARROW.test(text) ? text.length : stringWidth(text);
}

export function lineWidth(line: Line): number {
  let w = 0;
  for (const s of line) w += displayWidth(s.text);
  return w;
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

export function merge(a: Style | undefined, b: Style | undefined): Style | undefined {
  if (!a) return b;
  if (!b) return a;
  return { ...a, ...b };
}

/** Adds `style` under each segment's own style. */
export function withStyle(segments: Segment[], style: Style): Segment[] {
  return segments.map((s) => ({ text: s.text, style: merge(style, s.style) }));
}

/**
 * Wraps styled text to `width` columns at spaces (a word longer than a line is cut), keeping each
 * piece's style; line breaks in the text start new lines. Spaces at a wrap point are dropped.
 */
export function wrap(segments: Segment[], width: number): Line[] {
  const w = Math.max(1, width);
  const lines: Line[] = [];
  let line: Line = [];
  let used = 0;
  let pendingSpace: Segment | undefined;
  const push = (text: string, style: Style | undefined) => {
    const last = line.at(-1);
    if (last && last.style === style) last.text += text;
    else line.push({ text, style });
  };
  const newLine = () => {
    lines.push(line);
    line = [];
    used = 0;
    pendingSpace = undefined;
  };
  for (const seg of segments) {
    const parts = seg.text.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) newLine();
      for (const piece of part.match(/ +|[^ ]+/g) ?? []) {
        if (piece[0] === ' ') {
          // Spaces are placed only once a word follows them on the same line.
          pendingSpace = { text: piece, style: seg.style };
          continue;
        }
        let word = piece;
        let ww = displayWidth(word);
        const space = pendingSpace && used > 0 ? displayWidth(pendingSpace.text) : 0;
        if (used > 0 && used + space + ww > w) newLine();
        else if (space && pendingSpace) {
          push(pendingSpace.text, pendingSpace.style);
          used += space;
        }
        pendingSpace = undefined;
        while (ww > w - used) {
          const [head, tail] = cutColumns(word, w - used);
          if (head) push(head, seg.style);
          newLine();
          word = tail;
          ww = displayWidth(word);
        }
        if (word) {
          push(word, seg.style);
          used += ww;
        }
      }
    });
  }
  lines.push(line);
  return lines;
}

/** The first `columns` columns of `text` and the rest (at least one character goes first). */
function cutColumns(text: string, columns: number): [string, string] {
  let used = 0;
  let i = 0;
  for (const ch of text) {
    const cw = displayWidth(ch);
    if (used + cw > columns && i > 0) break;
    used += cw;
    i += ch.length;
  }
  return [text.slice(0, i), text.slice(i)];
}

/** Cuts a line to `width` columns (for code, which is not re-flowed), continuing on further lines. */
export function hardWrap(line: Line, width: number): Line[] {
  const out: Line[] = [];
  let cur: Line = [];
  let used = 0;
  for (const seg of line) {
    let text = seg.text;
    while (text) {
      const room = width - used;
      if (displayWidth(text) <= room) {
        cur.push({ text, style: seg.style });
        used += displayWidth(text);
        break;
      }
      const [head, tail] = cutColumns(text, room);
      if (room > 0 && head) cur.push({ text: head, style: seg.style });
      out.push(cur);
      cur = [];
      used = 0;
      text = room > 0 ? tail : text;
    }
  }
  out.push(cur);
  return out;
}

/** Pads a line with spaces to `width` columns. */
export function pad(line: Line, width: number, align: 'left' | 'right' | 'center' = 'left'): Line {
  const gap = Math.max(0, width - lineWidth(line));
  if (gap === 0) return line;
  const left = align === 'right' ? gap : align === 'center' ? Math.floor(gap / 2) : 0;
  const out: Line = [];
  if (left) out.push({ text: ' '.repeat(left) });
  out.push(...line);
  if (gap - left) out.push({ text: ' '.repeat(gap - left) });
  return out;
}

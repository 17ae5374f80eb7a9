/**
 * Small text helpers shared by the review views: colour only on a terminal, wrapped text, and
 * aligned columns that fit a width. Units and the palette are the program's one set, re-exported
 * here for the views.
 */
import { oneLine } from '../../core/text.js';
import { colorsEnabled, toneOf, type Paint, type Style } from '../theme.js';

export { makeStyle, type Style } from '../theme.js';
export { formatAge, formatAgo, formatCost, formatDateTime, formatDuration, formatPercent, formatTokens } from '../../core/units.js';

/** How a view is printed: colour only on a TTY without NO_COLOR; width of the terminal, else 80. */
export interface ViewOptions {
  color?: boolean | undefined;
  width?: number | undefined;
  /** "Now" for relative times (tests pin it). */
  now?: number | undefined;
}

export function terminalView(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): ViewOptions {
  const tty = stream.isTTY === true;
  return { color: tty && colorsEnabled(env), width: tty && stream.columns ? stream.columns : 80 };
}

/** Colour for a run status, analysis outcome or agent lifecycle word. */
export function statusColor(style: Style, word: string | null | undefined): Paint {
  const tone = toneOf(word);
  return tone ? style[tone] : plain;
}

const plain: Paint = (s) => s;

/** A signed feedback balance: +2, -1, +1/-1 when both; empty when there is none. */
export function formatFeedback(good: number, bad: number): string {
  if (good && bad) return `+${good}/-${bad}`;
  if (good) return `+${good}`;
  if (bad) return `-${bad}`;
  return '';
}

// ---------------------------------------------------------------- text

export { oneLine };
export { plural } from '../../core/text.js';

/** Word-wraps text to `width`, keeping paragraph breaks; at most `maxLines` lines (the last ends with `…`). */
export function wrap(text: string, width: number, maxLines = Infinity): string[] {
  const lines: string[] = [];
  const w = Math.max(20, width);
  for (const para of text.trim().split(/\n\s*\n|\n/)) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > w) {
        lines.push(line);
        line = '';
      }
      line = line ? `${line} ${word}` : word.length > w ? word.slice(0, w) : word;
    }
    lines.push(line);
  }
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = oneLine(`${kept[maxLines - 1]!} …`, w);
    return kept;
  }
  return lines;
}

// ---------------------------------------------------------------- columns

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** A cell: its text, and optionally a colour applied after padding (so widths stay right). */
export type Cell = string | { text: string; color?: ((s: string) => string) | undefined };

export interface Row {
  cells: Cell[];
  wide?: string | undefined;
  /** Applied to the wide text after it is cut to fit (default: dim when on its own line). */
  wideStyle?: ((s: string) => string) | undefined;
}

/**
 * Aligned columns with two-space gaps, narrowed to one space when that is what fits `width`.
 * A trailing `wide` text (the prompt of a run) goes at the end of the row when at least `minWide`
 * (24) characters are left for it, otherwise on its own indented line below.
 */
export function table(columns: Column[], rows: Row[], opts: { width: number; style: Style; wideHeader?: string; minWide?: number }): string {
  const text = (c: Cell) => (typeof c === 'string' ? c : c.text);
  const widths = columns.map((col, i) => Math.max(col.header.length, ...rows.map((r) => [...text(r.cells[i] ?? '')].length)));
  const sum = widths.reduce((a, b) => a + b, 0);
  const gap = sum + 2 * (columns.length - 1) <= opts.width ? 2 : 1;
  const fixed = sum + gap * (columns.length - 1);
  const hasWide = rows.some((r) => r.wide !== undefined);
  const inlineWide = hasWide && opts.width - fixed - gap >= (opts.minWide ?? 24);
  const wideIndent = Math.min(widths[0]! + gap, 12);

  const spacer = ' '.repeat(gap);
  const line = (cells: Cell[], color: (s: string) => string = (s) => s) =>
    cells
      .map((c, i) => {
        const t = text(c);
        const padding = ' '.repeat(Math.max(0, widths[i]! - [...t].length));
        const colored = color(typeof c === 'string' || !c.color ? t : c.color(t));
        return columns[i]!.align === 'right' ? padding + colored : colored + padding;
      })
      .join(spacer);

  const header = line(
    columns.map((c) => c.header),
    opts.style.dim,
  );
  const out = [inlineWide ? `${header}${spacer}${opts.style.dim(opts.wideHeader ?? 'PROMPT')}` : header.trimEnd()];
  for (const r of rows) {
    const base = line(r.cells);
    if (r.wide === undefined) out.push(base.trimEnd());
    else if (inlineWide) out.push(`${base}${spacer}${(r.wideStyle ?? plain)(oneLine(r.wide, opts.width - fixed - gap))}`);
    else out.push(base.trimEnd(), `${' '.repeat(wideIndent)}${(r.wideStyle ?? opts.style.dim)(oneLine(r.wide, opts.width - wideIndent))}`);
  }
  return out.join('\n');
}

/** Length of a string as shown: ANSI colour codes take no room. */
export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return [...s.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

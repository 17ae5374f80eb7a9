/**
 * Small text helpers shared by the review views: human units, relative times, colour that is
 * only used on a terminal, and aligned columns that fit a width.
 */
import { oneLine } from '../../core/text.js';

/** How a view is printed: colour only on a TTY without NO_COLOR; width of the terminal, else 80. */
export interface ViewOptions {
  color?: boolean | undefined;
  width?: number | undefined;
  /** "Now" for relative times (tests pin it). */
  now?: number | undefined;
}

export function terminalView(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): ViewOptions {
  const tty = stream.isTTY === true;
  return { color: tty && !env.NO_COLOR, width: tty && stream.columns ? stream.columns : 80 };
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string) => s;

export function makeStyle(color: boolean | undefined): Style {
  if (!color) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };
}

/** Colour for a run status, analysis outcome or agent lifecycle word. */
export function statusColor(style: Style, word: string | null | undefined): (s: string) => string {
  switch (word) {
    case 'completed':
    case 'success':
    case 'good':
      return style.green;
    case 'failed':
    case 'failure':
    case 'bad':
      return style.red;
    case 'partial':
    case 'waiting_user':
    case 'interrupted':
    case 'cancelled':
    case 'running':
    case 'executing':
      return style.yellow;
    default:
      return plain;
  }
}

// ---------------------------------------------------------------- units

/** 850ms, 1.2s, 3m04s, 2h05m. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  const v = Math.max(0, Math.round(ms));
  if (v < 1000) return `${v}ms`;
  if (v < 59_950) return `${(v / 1000).toFixed(1)}s`;
  const s = Math.round(v / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** $0.0123 below a dollar, $12.34 above. */
export function formatCost(usd: number): string {
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** 850, 12.3k, 1.2M. */
export function formatTokens(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 999_950) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1e6).toFixed(1)}M`;
}

export function formatPercent(ratio: number | null): string {
  return ratio === null ? '-' : `${Math.round(ratio * 100)}%`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local date and time, `2025-01-31 14:05`. */
export function formatDateTime(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Short age for columns: 45s, 12m, 5h, 3d; older than 30 days the date, `Jul 23` or `Jul 2024`. */
export function formatAge(ts: number, now: number = Date.now()): string {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  if (s < 30 * 86_400) return `${Math.floor(s / 86_400)}d`;
  const d = new Date(ts);
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return `${MONTHS[d.getMonth()]} ${sameYear ? d.getDate() : d.getFullYear()}`;
}

export const formatAgo = (ts: number, now?: number): string => {
  const age = formatAge(ts, now);
  return /^\d/.test(age) ? `${age} ago` : age;
};

/** A signed feedback balance: +2, -1, +1/-1 when both; empty when there is none. */
export function formatFeedback(good: number, bad: number): string {
  if (good && bad) return `+${good}/-${bad}`;
  if (good) return `+${good}`;
  if (bad) return `-${bad}`;
  return '';
}

// ---------------------------------------------------------------- text

export { oneLine };

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
export function table(
  columns: Column[],
  rows: Row[],
  opts: { width: number; style: Style; wideHeader?: string; minWide?: number },
): string {
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

  const header = line(columns.map((c) => c.header), opts.style.dim);
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

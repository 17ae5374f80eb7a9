/**
 * Markdown to styled lines: `marked`'s lexer gives the tokens, this lays them out for a terminal
 * of `width` columns (wrapped paragraphs, indented lists and quotes, tables fitted to the width,
 * highlighted code). The ink and the ANSI renderers draw the result; neither sees a marker.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { decodeEntities, type Highlighter } from './highlight.js';
import { displayWidth, hardWrap, lineWidth, pad, wrap, withStyle, type Line, type Segment, type Style } from './styled.js';

export interface MarkdownOptions {
  width: number;
  /** Colours on (off under NO_COLOR): bold, dim, italic and underline stay either way. */
  colors: boolean;
  highlight?: Highlighter | undefined;
}

const BULLETS = ['•', '◦', '▪'];
/** Narrowest a table column gets before the table is shown as one "header: value" block per row. */
const MIN_COLUMN = 3;

export function renderMarkdown(text: string, options: MarkdownOptions): Line[] {
  const tokens = new Lexer({ gfm: true }).lex(text.replace(/\t/g, '    '));
  const lines = new Layout(options).blocks(tokens, Math.max(10, options.width));
  // A block that ended with a blank line keeps it: the next item starts after a gap.
  if (/\n[ \t]*\n\s*$/.test(text) && lines.length) lines.push([]);
  return lines;
}

class Layout {
  constructor(private readonly o: MarkdownOptions) {}

  private c(name: string): string | undefined {
    return this.o.colors ? name : undefined;
  }

  /** Block tokens, one blank line between blocks. */
  blocks(tokens: Token[], width: number, tight = false): Line[] {
    const out: Line[] = [];
    for (const t of tokens) {
      const lines = this.block(t, width);
      if (!lines) continue;
      if (out.length && !tight) out.push([]);
      out.push(...lines);
    }
    return out;
  }

  private block(t: Token, width: number): Line[] | undefined {
    const tok = t as Tokens.Generic;
    switch (t.type) {
      case 'space':
      case 'def':
        return undefined;
      case 'heading':
        return this.heading(t as Tokens.Heading, width);
      case 'paragraph':
        return wrap(this.inline((t as Tokens.Paragraph).tokens), width);
      case 'text':
        // A tight list item's text: inline tokens, or plain text.
        return wrap(tok.tokens ? this.inline(tok.tokens) : [{ text: decodeEntities(String(tok.text)) }], width);
      case 'code':
        return this.code(t as Tokens.Code, width);
      case 'blockquote':
        return this.prefixed(
          this.blocks((t as Tokens.Blockquote).tokens, width - 2),
          [{ text: '│ ', style: { dim: true } }],
          [{ text: '│ ', style: { dim: true } }],
          { italic: true, color: this.c('gray') },
        );
      case 'list':
        return this.list(t as Tokens.List, width, 0);
      case 'table':
        return this.table(t as Tokens.Table, width);
      case 'hr':
        return [[{ text: '─'.repeat(Math.min(width, 80)), style: { dim: true } }]];
      case 'html':
        return wrap([{ text: String(tok.text).trimEnd(), style: { dim: true } }], width);
      default:
        // Anything else the lexer adds later: its source, as text.
        return typeof tok.raw === 'string' && tok.raw.trim() ? wrap([{ text: tok.raw.trimEnd() }], width) : undefined;
    }
  }

  private heading(t: Tokens.Heading, width: number): Line[] {
    const style: Style = { bold: true, underline: t.depth === 1 || undefined, color: t.depth <= 2 ? this.c('cyan') : undefined };
    return wrap(withStyle(this.inline(t.tokens), style), width);
  }

  private code(t: Tokens.Code, width: number): Line[] {
    const lang = (t.lang ?? '').trim().split(/\s+/)[0]!.toLowerCase();
    const source = t.text.replace(/\n$/, '');
    const lines = (lang && this.o.highlight?.(source, lang, this.o.colors)) || source.split('\n').map((l): Line => (l ? [{ text: l }] : []));
    const indent: Segment = { text: '  ' };
    const out: Line[] = [];
    if (lang) out.push([{ text: `  ${lang}`, style: { dim: true } }]);
    for (const line of lines) for (const part of hardWrap(line, width - 2)) out.push([indent, ...part]);
    return out;
  }

  /** `body` with `first` before its first line and `rest` before the others; `style` under all. */
  private prefixed(body: Line[], first: Line, rest: Line, style?: Style): Line[] {
    return body.map((line, i) => [...(i === 0 ? first : rest), ...(style ? withStyle(line, style) : line)]);
  }

  private list(t: Tokens.List, width: number, depth: number): Line[] {
    const start = typeof t.start === 'number' ? t.start : 1;
    const marks = t.items.map((item, i) => (t.ordered ? `${start + i}.` : item.task ? (item.checked ? '☑' : '☐') : BULLETS[depth % BULLETS.length]!));
    const markWidth = Math.max(...marks.map(displayWidth)) + 1;
    const out: Line[] = [];
    t.items.forEach((item, i) => {
      const children = item.tokens.filter((c) => c.type !== 'checkbox');
      const body: Line[] = [];
      for (const child of children) {
        const lines = child.type === 'list' ? this.list(child as Tokens.List, width - markWidth, depth + 1) : this.blocks([child], width - markWidth);
        if (body.length && t.loose && child.type !== 'list') body.push([]);
        body.push(...lines);
      }
      if (!body.length) body.push([]);
      if (i > 0 && t.loose) out.push([]);
      const mark = marks[i]!;
      const markStyle: Style = { color: this.c('cyan') };
      out.push(
        ...this.prefixed(body, [{ text: mark, style: markStyle }, { text: ' '.repeat(markWidth - displayWidth(mark)) }], [{ text: ' '.repeat(markWidth) }]),
      );
    });
    return out;
  }

  private table(t: Tokens.Table, width: number): Line[] {
    const n = t.header.length;
    const header = t.header.map((cell) => withStyle(this.inline(cell.tokens), { bold: true }));
    const rows = t.rows.map((row) => row.map((cell) => this.inline(cell.tokens)));
    const natural = header.map((h, i) => Math.max(oneLineWidth(h), ...rows.map((r) => oneLineWidth(r[i] ?? []))));
    const room = width - (3 * n + 1); // "│ " + " │ " between + " │"
    const widths = fitColumns(natural, room);
    if (!widths) return this.tableAsRecords(header, rows, width);
    const border = (l: string, m: string, r: string): Line => [{ text: `${l}─${widths.map((w) => '─'.repeat(w)).join(`─${m}─`)}─${r}`, style: { dim: true } }];
    const bar: Segment = { text: '│', style: { dim: true } };
    const row = (cells: Segment[][]): Line[] => {
      const wrapped = cells.map((c, i) => wrap(c, widths[i]!));
      const height = Math.max(...wrapped.map((w) => w.length));
      const lines: Line[] = [];
      for (let k = 0; k < height; k++) {
        const line: Line = [bar];
        wrapped.forEach((w, i) => {
          line.push({ text: ' ' }, ...pad(w[k] ?? [], widths[i]!, t.align[i] ?? 'left'), { text: ' ' }, bar);
        });
        lines.push(line);
      }
      return lines;
    };
    return [border('┌', '┬', '┐'), ...row(header), border('├', '┼', '┤'), ...rows.flatMap((r) => row(header.map((_, i) => r[i] ?? []))), border('└', '┴', '┘')];
  }

  /** A table too wide for any columns: each row as "header: value" lines. */
  private tableAsRecords(header: Segment[][], rows: Segment[][][], width: number): Line[] {
    const out: Line[] = [];
    rows.forEach((r, k) => {
      if (k > 0) out.push([{ text: '─'.repeat(Math.min(width, 20)), style: { dim: true } }]);
      header.forEach((h, i) => out.push(...wrap([...h, { text: ': ', style: { bold: true } }, ...(r[i] ?? [])], width)));
    });
    return out.length
      ? out
      : wrap(
          header.flatMap((h, i) => (i ? [{ text: ' · ' }, ...h] : h)),
          width,
        );
  }

  /** Inline tokens as styled segments (line breaks kept as "\n"). */
  inline(tokens: Token[] | undefined, style?: Style): Segment[] {
    const out: Segment[] = [];
    for (const t of tokens ?? []) {
      const tok = t as Tokens.Generic;
      switch (t.type) {
        case 'text':
          if (tok.tokens) out.push(...this.inline(tok.tokens, style));
          else out.push({ text: decodeEntities(String(tok.text)), style });
          break;
        case 'escape':
          out.push({ text: decodeEntities(String(tok.text)), style });
          break;
        case 'strong':
          out.push(...this.inline(tok.tokens, { ...style, bold: true }));
          break;
        case 'em':
          out.push(...this.inline(tok.tokens, { ...style, italic: true }));
          break;
        case 'del':
          out.push(...this.inline(tok.tokens, { ...style, strike: true }));
          break;
        case 'codespan':
          out.push({ text: decodeEntities(String(tok.text)), style: { ...style, color: this.c('yellow'), bold: this.o.colors ? style?.bold : true } });
          break;
        case 'br':
          out.push({ text: '\n', style });
          break;
        case 'link': {
          const link = t as Tokens.Link;
          const label = this.inline(link.tokens, { ...style, underline: true, color: this.c('blue') });
          out.push(...label);
          const shown = label.map((s) => s.text).join('');
          const href = link.href.replace(/^mailto:/, '');
          // One word, so the URL wraps whole onto the next line rather than after its parenthesis.
          if (href && href !== shown) out.push({ text: ' ', style }, { text: `(${href})`, style: { dim: true } });
          break;
        }
        case 'image': {
          const img = t as Tokens.Image;
          out.push({ text: `[image: ${img.text || img.href}]`, style: { ...style, dim: true } }, { text: ` (${img.href})`, style: { dim: true } });
          break;
        }
        case 'html':
          // Inline tags (<b>, <br>) are dropped; their text stays.
          if (/^<br\s*\/?>$/i.test(String(tok.text))) out.push({ text: '\n', style });
          break;
        case 'checkbox':
          break;
        default:
          if (typeof tok.raw === 'string') out.push({ text: tok.raw, style });
      }
    }
    return out;
  }
}

/** Width of the widest line of a cell's text. */
function oneLineWidth(segments: Segment[]): number {
  return Math.max(0, ...wrap(segments, Number.MAX_SAFE_INTEGER).map(lineWidth));
}

/**
 * Column widths within `room`: the natural widths when they fit, else the widest columns shrink
 * first (cells wrap); undefined when even MIN_COLUMN per column does not fit.
 */
export function fitColumns(natural: number[], room: number): number[] | undefined {
  const widths = natural.map((w) => Math.max(1, w));
  if (room < widths.length * MIN_COLUMN && widths.reduce((a, b) => a + b, 0) > room) return undefined;
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > room) {
    let widest = 0;
    for (let i = 1; i < widths.length; i++) if (widths[i]! > widths[widest]!) widest = i;
    const second = Math.max(MIN_COLUMN, ...widths.filter((_, i) => i !== widest));
    const cut = Math.max(1, Math.min(total - room, widths[widest]! - second || 1));
    widths[widest] = widths[widest]! - cut;
    total -= cut;
  }
  return widths;
}

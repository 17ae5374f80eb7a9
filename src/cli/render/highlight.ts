/**
 * Code highlighting for the markdown renderer: highlight.js (core and the languages answers use
 * most; all 190 would cost a few hundred ms to load) mapped to terminal colours.
 */
import type { HLJSApi } from 'highlight.js';
import type { Line, Segment, Style } from './styled.js';

/** Highlights `code` as `lang`, one Line per source line; undefined for an unknown language. */
export type Highlighter = (code: string, lang: string, colors: boolean) => Line[] | undefined;

const LANGUAGES = [
  'bash',
  'c',
  'cpp',
  'csharp',
  'css',
  'diff',
  'dockerfile',
  'go',
  'ini',
  'java',
  'javascript',
  'json',
  'kotlin',
  'makefile',
  'markdown',
  'php',
  'plaintext',
  'python',
  'ruby',
  'rust',
  'scss',
  'shell',
  'sql',
  'swift',
  'typescript',
  'xml',
  'yaml',
] as const;

/** highlight.js scopes (the first class) and their colours; sub-scopes fall back to their head. */
const SCOPE_COLORS: Record<string, string> = {
  keyword: 'magenta',
  built_in: 'cyan',
  type: 'cyan',
  literal: 'blue',
  number: 'yellow',
  string: 'green',
  regexp: 'green',
  subst: 'white',
  symbol: 'yellow',
  title: 'blue',
  attr: 'cyan',
  attribute: 'cyan',
  variable: 'red',
  'template-variable': 'red',
  property: 'cyan',
  params: 'white',
  meta: 'gray',
  section: 'blue',
  tag: 'gray',
  name: 'red',
  'selector-tag': 'magenta',
  'selector-class': 'yellow',
  'selector-id': 'blue',
  bullet: 'yellow',
  addition: 'green',
  deletion: 'red',
};

export async function loadHighlighter(): Promise<Highlighter> {
  const { default: hljs } = await import('highlight.js/lib/core');
  const grammars = await Promise.all(
    LANGUAGES.map((name) => import(`highlight.js/lib/languages/${name}`) as Promise<{ default: Parameters<HLJSApi['registerLanguage']>[1] }>),
  );
  LANGUAGES.forEach((name, i) => hljs.registerLanguage(name, grammars[i]!.default));
  return (code, lang, colors) => {
    if (!hljs.getLanguage(lang)) return undefined;
    const html = hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
    return toLines(parseSpans(html, colors));
  };
}

/** highlight.js's HTML (spans with classes, escaped text) as styled segments. */
export function parseSpans(html: string, colors: boolean): Segment[] {
  const out: Segment[] = [];
  const stack: (Style | undefined)[] = [];
  for (const m of html.matchAll(/<span class="([^"]*)">|<\/span>|[^<]+/g)) {
    const [token, classes] = m;
    if (classes !== undefined) stack.push(styleOf(classes, colors) ?? stack.at(-1));
    else if (token === '</span>') stack.pop();
    else out.push({ text: decodeEntities(token), style: stack.at(-1) });
  }
  return out;
}

function styleOf(classes: string, colors: boolean): Style | undefined {
  const scope = classes.split(' ')[0]!.replace(/^hljs-/, '');
  if (scope === 'comment' || scope === 'quote') return { dim: true, italic: true };
  if (!colors) return undefined;
  const color = SCOPE_COLORS[scope] ?? SCOPE_COLORS[scope.split('.')[0]!];
  return color ? { color } : undefined;
}

function toLines(segments: Segment[]): Line[] {
  const lines: Line[] = [[]];
  for (const seg of segments) {
    seg.text.split('\n').forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines.at(-1)!.push({ text: part, style: seg.style });
    });
  }
  return lines;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#x27': "'", '#39': "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    const known = ENTITIES[name.toLowerCase()];
    if (known) return known;
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return whole;
  });
}

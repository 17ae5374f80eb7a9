import { parse } from 'yaml';

export type FrontMatter = { ok: true; data: Record<string, unknown>; body: string } | { ok: false; message: string };

const OPEN = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSE = /^---[ \t]*$/m;

/** Splits `---\n<yaml>\n---\n<body>` and parses the YAML; a file without front matter is an error here. */
export function parseFrontMatter(text: string): FrontMatter {
  const open = OPEN.exec(text);
  if (!open) return { ok: false, message: 'no YAML front matter (the file must start with a --- line)' };
  const rest = text.slice(open[0].length);
  const close = CLOSE.exec(rest);
  if (!close) return { ok: false, message: 'front matter is not closed by a --- line' };
  let data: unknown;
  try {
    data = parse(rest.slice(0, close.index));
  } catch (err) {
    return { ok: false, message: `front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) return { ok: false, message: 'front matter must be a YAML mapping' };
  const body = rest.slice(close.index + close[0].length).replace(/^\r?\n/, '');
  return { ok: true, data: data as Record<string, unknown>, body };
}

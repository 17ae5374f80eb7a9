/**
 * Finding the JSON a model put in its final answer: every fenced block (the last first, since
 * models often add a "verify with" block after the answer), then the outermost {...}. Trailing
 * commas are tolerated; when nothing parses, the parser's message and position say why.
 */
import type * as z from '../core/zod.js';

export type FinalJson = { ok: true; value: unknown } | { ok: false; error: string };

/** The candidates, in the order they are tried. */
export function jsonCandidates(text: string): string[] {
  const fenced = [...text.matchAll(/```[a-zA-Z0-9_-]*[^\S\n]*\n?([\s\S]*?)```/g)].map((m) => m[1]!.trim()).reverse();
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  const outer = start >= 0 && end > start ? [text.slice(start, end + 1)] : [];
  return [...fenced, ...outer].filter((c, i, all) => c.length > 0 && all.indexOf(c) === i);
}

/** Removes commas before a closing bracket or brace, outside strings. */
export function stripTrailingCommas(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += json[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === ',' && /^\s*[}\]]/.test(json.slice(i + 1))) continue;
    out += c;
  }
  return out;
}

/** JSON.parse's message, with the line and column when it names a position. */
function parseError(err: unknown, source: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const position = /at position (\d+)/.exec(message);
  if (!position || /line \d+/.test(message)) return message;
  const before = source.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return `${message} (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}

/** The first candidate that is JSON matching `schema`; else why the most likely one is not. */
export function parseFinalJson(text: string, schema: z.ZodMiniType): FinalJson {
  const candidates = jsonCandidates(text);
  if (candidates.length === 0) return { ok: false, error: 'expected a JSON object, found none (no ```json block and no {...})' };
  let firstSyntax: string | undefined;
  let firstSchema: string | undefined;
  for (const candidate of candidates) {
    let json: unknown;
    try {
      json = JSON.parse(stripTrailingCommas(candidate));
    } catch (err) {
      firstSyntax ??= parseError(err, stripTrailingCommas(candidate));
      continue;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return { ok: true, value: parsed.data };
    firstSchema ??= parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  }
  return { ok: false, error: firstSchema ?? `expected a JSON object; the JSON does not parse: ${firstSyntax}` };
}

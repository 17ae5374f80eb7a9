import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '../core/zod.js';
import { defineTool, fail } from './define.js';
import { fileFilter } from './glob-match.js';
import { projectFiles } from './ignore.js';
import { resolveInProject } from './paths.js';
import { ripgrepSearch, useRipgrep, type GrepMatch, type GrepQuery } from './ripgrep.js';
import { statOrSuggest } from './suggest.js';

export const MAX_MATCHES = 200;
const MAX_MATCH_CHARS = 300;
/** Larger files (bundles, dumps, logs) are skipped by both engines. */
export const MAX_GREP_FILE_BYTES = 5 * 1024 * 1024;

const schema = z.strictObject({
  pattern: z.string().check(z.minLength(1), z.describe('Regular expression')),
  path: z.optional(z.string().check(z.minLength(1))).check(z.describe('File or directory to search (default: the project root)')),
  glob: z.optional(z.string().check(z.minLength(1))).check(z.describe('Only files matching this glob, e.g. "*.ts" (any depth) or "src/**/*.{js,jsx}"')),
  ignoreCase: z.optional(z.boolean()),
});

export const grepTool = defineTool({
  name: 'grep',
  description: 'Search file contents with a regular expression. Returns `path:line:text` lines in path order, skipping binary and .gitignored files.',
  schema,
  permission: 'read',
  ruleKey: () => 'grep',
  title: (input) => `grep ${input.pattern}${input.path ? ` in ${input.path}` : ''}`,
  subject: (input) => `${input.pattern}${input.path ? ` in ${input.path}` : ''}`,
  async run(input, ctx) {
    const { abs, rel } = resolveInProject(ctx.root, input.path ?? '.');
    const info = await statOrSuggest(ctx, abs, rel);
    let files: string[];
    let truncated = false;
    if (info.isFile()) {
      files = info.size <= MAX_GREP_FILE_BYTES ? [rel] : [];
    } else {
      const listing = await projectFiles(ctx.root, abs, { signal: ctx.signal });
      const prefix = rel === '.' ? 0 : rel.length + 1;
      const wanted = input.glob ? fileFilter(input.glob) : () => true;
      files = listing.files.filter((f) => f.size <= MAX_GREP_FILE_BYTES && wanted(f.path.slice(prefix))).map((f) => f.path);
      truncated = listing.truncated;
    }
    const query: GrepQuery = { pattern: input.pattern, ignoreCase: input.ignoreCase ?? false, limit: MAX_MATCHES + 1, signal: ctx.signal };
    const matches = (await searchFiles(ctx.root, files, query)).map(formatMatch);
    if (matches.length === 0) return { isError: false, output: 'No matches.', summary: '0 matches' };
    const more = matches.length > MAX_MATCHES;
    const lines = matches.slice(0, MAX_MATCHES);
    if (more) lines.push(`[first ${MAX_MATCHES} matches shown; narrow with path, glob or a more specific pattern]`);
    if (truncated) lines.push('[only part of the tree was searched; narrow the path]');
    return { isError: false, output: lines.join('\n'), summary: `${more ? `${MAX_MATCHES}+` : lines.length} matches` };
  },
});

/** rg when available; otherwise (or for patterns only JavaScript understands) the JavaScript engine. Same files, same results. */
export async function searchFiles(root: string, files: string[], query: GrepQuery): Promise<GrepMatch[]> {
  if (await useRipgrep()) {
    const found = await ripgrepSearch(root, files, query);
    if (found) return found;
  }
  return jsSearch(root, files, query);
}

function compile(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, `${flags}u`);
  } catch {
    try {
      return new RegExp(pattern, flags);
    } catch (err) {
      return fail(`invalid regular expression: ${(err as Error).message}`);
    }
  }
}

async function jsSearch(root: string, files: string[], query: GrepQuery): Promise<GrepMatch[]> {
  const flags = query.ignoreCase ? 'i' : '';
  const re = compile(query.pattern, flags);
  // Most files do not match at all: one whole-text test rules them out cheaply. A line match is
  // always a whole-text match under the m flag, except through negative look-around (which could
  // see a neighbouring line), so those patterns skip the shortcut.
  const wholeText = /\(\?<?!/.test(query.pattern) ? undefined : compile(query.pattern, `${flags}m`);
  const matches: GrepMatch[] = [];
  for (let n = 0; n < files.length; n++) {
    // Synchronous reads are several times faster for many small files; yield now and then so the UI stays live.
    if (n % 64 === 63) await new Promise(setImmediate);
    query.signal?.throwIfAborted();
    const path = files[n]!;
    let buf: Buffer;
    try {
      buf = readFileSync(join(root, path));
    } catch {
      continue; // vanished or unreadable: skipped, as rg does
    }
    if (buf.includes(0)) continue;
    const text = buf.toString('utf8');
    if (wholeText && !wholeText.test(text)) continue;
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (let i = 0; i < lines.length; i++) {
      // Test with a trailing \r still there, as rg does, so `$` behaves the same in both engines.
      if (!re.test(lines[i]!)) continue;
      matches.push({ path, line: i + 1, text: lines[i]!.replace(/\r$/, '') });
      if (matches.length >= query.limit) return matches;
    }
  }
  return matches;
}

function formatMatch(m: GrepMatch): string {
  const text = m.text.length > MAX_MATCH_CHARS ? `${m.text.slice(0, MAX_MATCH_CHARS)}…` : m.text;
  return `${m.path}:${m.line}:${text}`;
}

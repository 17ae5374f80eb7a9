import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import * as z from '../core/zod.js';
import { defineTool, fail } from './define.js';
import { resolveInProject } from './paths.js';
import { statOrSuggest } from './suggest.js';

export const DEFAULT_READ_LINES = 2000;
export const MAX_READ_CHARS = 256 * 1024;
const MAX_LINE_CHARS = 2000;
const BINARY_SNIFF_BYTES = 8192;

const schema = z.strictObject({
  path: z.string().check(z.minLength(1), z.describe('File path relative to the project root')),
  offset: z.optional(z.number().check(z.int(), z.minimum(1))).check(z.describe('First line to read, 1-based')),
  limit: z.optional(z.number().check(z.int(), z.minimum(1))).check(z.describe(`Number of lines (default ${DEFAULT_READ_LINES})`)),
});

export const readFileTool = defineTool({
  name: 'read_file',
  description: 'Read a text file. Lines are numbered like `cat -n`; use offset/limit for parts of large files.',
  schema,
  permission: 'read',
  ruleKey: () => 'read_file',
  title: (input) => `read ${input.path}`,
  subject: (input) => input.path,
  async run(input, ctx) {
    const { abs, rel } = resolveInProject(ctx.root, input.path);
    const info = await statOrSuggest(ctx, abs, rel);
    if (info.isDirectory()) fail(`${rel} is a directory; use list_files to see what it contains`);
    if (await startsBinary(abs)) {
      fail(`${rel} is a binary file (${info.size} bytes); read_file shows text only. Inspect it with bash, e.g. \`file ${rel}\` or \`xxd ${rel} | head\``);
    }
    const offset = input.offset ?? 1;
    const limit = input.limit ?? DEFAULT_READ_LINES;
    const { lines, lastLine, more } = await readLines(abs, offset, limit);
    if (lines.length === 0) {
      if (lastLine === 0) return { isError: false, output: '(empty file)', summary: '0 lines' };
      fail(`${rel} has ${lastLine} lines; offset ${offset} is past the end`);
    }
    const end = offset + lines.length - 1;
    let output = lines.map((line, i) => `${String(offset + i).padStart(6)}\t${line}`).join('\n');
    if (more) output += `\n[lines ${offset}-${end} shown; the file continues: read more with offset: ${end + 1}]`;
    return { isError: false, output, summary: `${lines.length} lines` };
  },
});

async function startsBinary(abs: string): Promise<boolean> {
  const file = await open(abs, 'r');
  try {
    const buf = Buffer.alloc(BINARY_SNIFF_BYTES);
    const { bytesRead } = await file.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).includes(0);
  } finally {
    await file.close();
  }
}

/** Streams only as far as needed, so the head of a huge log costs no more than a small file. */
async function readLines(abs: string, offset: number, limit: number) {
  const stream = createReadStream(abs, { encoding: 'utf8' });
  const lines: string[] = [];
  let lastLine = 0;
  let chars = 0;
  let more = false;
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      lastLine++;
      if (lastLine < offset) continue;
      const shown = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… [line truncated: ${line.length} chars]` : line;
      if (lines.length >= limit || chars + shown.length > MAX_READ_CHARS) {
        more = true;
        break;
      }
      lines.push(shown);
      chars += shown.length + 1;
    }
  } finally {
    stream.destroy();
  }
  return { lines, lastLine, more };
}

import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from '../core/zod.js';
import { writeFileAtomic } from './atomic.js';
import { defineTool, errnoCode, fail, isMissing, ToolFailure } from './define.js';
import { unifiedDiff } from './diff-preview.js';
import { resolveWritable } from './paths.js';
import type { ToolContext } from './types.js';

const schema = z.strictObject({
  path: z.string().check(z.minLength(1), z.describe('File path relative to the project root')),
  content: z.string().check(z.describe('The complete new content')),
});

export const countLines = (s: string): number => (s === '' ? 0 : s.split('\n').length - (s.endsWith('\n') ? 1 : 0));

export const writeFileTool = defineTool({
  name: 'write_file',
  description: 'Create a file, or replace all of its content; parent directories are created. Prefer edit_file for changes to an existing file.',
  schema,
  permission: 'write',
  ruleKey: () => 'write_file',
  title: (input) => `write ${input.path} (${countLines(input.content)} lines)`,
  subject: (input) => input.path,
  async preview(input, ctx) {
    try {
      const { rel, previous } = await readPrevious(input.path, ctx);
      return await unifiedDiff(rel, previous, input.content);
    } catch (err) {
      if (err instanceof ToolFailure) return `(this write would fail: ${err.message})`;
      throw err;
    }
  },
  async run(input, ctx) {
    const { abs, rel, previous } = await readPrevious(input.path, ctx);
    await mkdir(dirname(abs), { recursive: true });
    await writeFileAtomic(abs, input.content);
    const lines = countLines(input.content);
    const summary = previous === undefined ? `created (${lines} lines)` : `overwrote ${countLines(previous)} lines`;
    const output = `Wrote ${rel}: ${summary}${previous === undefined ? '' : `, now ${lines} lines`}`;
    return { isError: false, output, summary, diff: await unifiedDiff(rel, previous, input.content) };
  },
});

/** The file a write replaces (undefined when it is new); a directory is a ToolFailure. */
async function readPrevious(path: string, ctx: ToolContext): Promise<{ abs: string; rel: string; previous: string | undefined }> {
  const { abs, rel } = resolveWritable(ctx.root, path);
  if (rel === '.' || path.endsWith('/')) fail(`${path} names a directory; give a file path`);
  const previous = await readFile(abs, 'utf8').catch((err: unknown) => {
    if (isMissing(err)) return undefined;
    if (errnoCode(err) === 'EISDIR') fail(`${rel} is a directory; give a file path`);
    throw err;
  });
  return { abs, rel, previous };
}

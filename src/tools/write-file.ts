import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic.js';
import { defineTool, errnoCode, fail, isMissing } from './define.js';
import { resolveWritable } from './paths.js';

const schema = z.strictObject({
  path: z.string().min(1).describe('File path relative to the project root'),
  content: z.string().describe('The complete new content'),
});

export const countLines = (s: string): number => (s === '' ? 0 : s.split('\n').length - (s.endsWith('\n') ? 1 : 0));

export const writeFileTool = defineTool({
  name: 'write_file',
  description: 'Create a file, or replace all of its content; parent directories are created. Prefer edit_file for changes to an existing file.',
  schema,
  permission: 'write',
  ruleKey: () => 'write_file',
  describe: (input) => `write ${input.path} (${countLines(input.content)} lines)`,
  async run(input, ctx) {
    const { abs, rel } = resolveWritable(ctx.root, input.path);
    if (rel === '.' || input.path.endsWith('/')) fail(`${input.path} names a directory; give a file path`);
    const previous = await readFile(abs, 'utf8').catch((err: unknown) => {
      if (isMissing(err)) return undefined;
      if (errnoCode(err) === 'EISDIR') fail(`${rel} is a directory; give a file path`);
      throw err;
    });
    await mkdir(dirname(abs), { recursive: true });
    await writeFileAtomic(abs, input.content);
    const lines = countLines(input.content);
    const summary = previous === undefined ? `created (${lines} lines)` : `overwrote ${countLines(previous)} lines`;
    return { isError: false, output: `Wrote ${rel}: ${summary}${previous === undefined ? '' : `, now ${lines} lines`}`, summary, changedFiles: [rel] };
  },
});

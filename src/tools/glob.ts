import * as z from '../core/zod.js';
import { defineTool, fail } from './define.js';
import { globToRegExp } from './glob-match.js';
import { projectFiles } from './ignore.js';
import { resolveInProject } from './paths.js';
import { statOrSuggest } from './suggest.js';

const MAX_RESULTS = 200;

const schema = z.strictObject({
  pattern: z.string().check(z.minLength(1), z.describe('Glob relative to path, e.g. "**/*.ts" or "src/*.{js,jsx}"')),
  path: z.optional(z.string().check(z.minLength(1))).check(z.describe('Directory to search (default: the project root)')),
});

export const globTool = defineTool({
  name: 'glob',
  description: 'Find files by glob (`**`, `*`, `?`, `{a,b}`, `[ab]`), skipping .gitignored files. Returns paths, most recently modified first.',
  schema,
  permission: 'read',
  ruleKey: () => 'glob',
  title: (input) => `glob ${input.pattern}${input.path ? ` in ${input.path}` : ''}`,
  subject: (input) => `${input.pattern}${input.path ? ` in ${input.path}` : ''}`,
  async run(input, ctx) {
    const { abs, rel } = resolveInProject(ctx.root, input.path ?? '.');
    if (!(await statOrSuggest(ctx, abs, rel)).isDirectory()) fail(`${rel} is a file; path must be a directory`);
    const pattern = input.pattern.replace(/^(\.\/)+/, '');
    if (pattern.startsWith('/') || pattern.split('/').includes('..')) {
      fail(`pattern must be relative to path and stay inside it (no leading "/" or ".."); set path to choose the directory`);
    }
    const re = globToRegExp(pattern);
    const prefix = rel === '.' ? 0 : rel.length + 1;
    const { files, truncated } = await projectFiles(ctx.root, abs, { signal: ctx.signal });
    const matches = files.filter((f) => re.test(f.path.slice(prefix)));
    matches.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.path < b.path ? -1 : 1));
    const lines = matches.slice(0, MAX_RESULTS).map((f) => f.path);
    if (matches.length > MAX_RESULTS) lines.push(`[${MAX_RESULTS} of ${matches.length} files shown, newest first; narrow the pattern or path]`);
    if (truncated) lines.push(`[search stopped after ${files.length} files; narrow the path]`);
    return { isError: false, output: lines.length ? lines.join('\n') : 'No files match.', summary: `${matches.length} files` };
  },
});

import * as z from '../core/zod.js';
import { defineTool, fail } from './define.js';
import { projectFiles } from './ignore.js';
import { resolveInProject } from './paths.js';
import { statOrSuggest } from './suggest.js';

const MAX_ENTRIES = 500;

const schema = z.strictObject({
  path: z.optional(z.string().check(z.minLength(1))).check(z.describe('Directory relative to the project root (default: the root)')),
  depth: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(20))).check(z.describe('Levels to show (default 2)')),
});

interface Dir {
  dirs: Map<string, Dir>;
  files: string[];
  fileCount: number;
}

export const listFilesTool = defineTool({
  name: 'list_files',
  description: 'List a directory as an indented tree (directories end with /, deeper ones show a file count), skipping .gitignored files.',
  schema,
  permission: 'read',
  ruleKey: () => 'list_files',
  title: (input) => `list ${input.path ?? '.'}`,
  subject: (input) => input.path ?? '.',
  async run(input, ctx) {
    const { abs, rel } = resolveInProject(ctx.root, input.path ?? '.');
    const info = await statOrSuggest(ctx, abs, rel);
    if (!info.isDirectory()) fail(`${rel} is a file, not a directory; use read_file to read it`);
    const { files, truncated } = await projectFiles(ctx.root, abs, { signal: ctx.signal });
    if (files.length === 0) return { isError: false, output: '(no files; ignored files are not listed)', summary: '0 files' };
    const prefix = rel === '.' ? 0 : rel.length + 1;
    const tree = buildTree(files.map((f) => f.path.slice(prefix)));
    const lines: string[] = [];
    const omitted = render(tree, input.depth ?? 2, '', lines);
    if (omitted > 0) lines.push(`[${omitted} more entries not shown; list a subdirectory or use a smaller depth]`);
    if (truncated) lines.push(`[stopped after ${files.length} files; list a subdirectory]`);
    return { isError: false, output: lines.join('\n'), summary: `${files.length} files` };
  },
});

function buildTree(paths: string[]): Dir {
  const root: Dir = { dirs: new Map(), files: [], fileCount: 0 };
  for (const path of paths) {
    const parts = path.split('/');
    let node = root;
    node.fileCount++;
    for (const part of parts.slice(0, -1)) {
      let child = node.dirs.get(part);
      if (!child) node.dirs.set(part, (child = { dirs: new Map(), files: [], fileCount: 0 }));
      child.fileCount++;
      node = child;
    }
    node.files.push(parts[parts.length - 1]!);
  }
  return root;
}

/** Directories first, then files, each sorted; returns how many entries did not fit. */
function render(dir: Dir, depth: number, indent: string, out: string[]): number {
  let omitted = 0;
  for (const [name, child] of [...dir.dirs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (out.length >= MAX_ENTRIES) {
      omitted++;
      continue;
    }
    if (depth <= 1) {
      out.push(`${indent}${name}/ (${child.fileCount} ${child.fileCount === 1 ? 'file' : 'files'})`);
    } else {
      out.push(`${indent}${name}/`);
      omitted += render(child, depth - 1, `${indent}  `, out);
    }
  }
  for (const name of dir.files.sort()) {
    if (out.length >= MAX_ENTRIES) omitted++;
    else out.push(`${indent}${name}`);
  }
  return omitted;
}

import { readFile } from 'node:fs/promises';
import * as z from '../core/zod.js';
import { writeFileAtomic } from './atomic.js';
import { defineTool, fail, isMissing, ToolFailure } from './define.js';
import { unifiedDiff } from './diff-preview.js';
import { closestLinesHint } from './edit-hints.js';
import { resolveWritable } from './paths.js';
import { notFoundMessage } from './suggest.js';
import type { ToolContext } from './types.js';

const schema = z.strictObject({
  path: z.string().check(z.minLength(1), z.describe('File path relative to the project root')),
  old_string: z.string().check(z.minLength(1, 'must not be empty; use write_file to create or replace a whole file'), z.describe('Exact text to replace')),
  new_string: z.string().check(z.describe('Replacement text')),
  replaceAll: z.optional(z.boolean()).check(z.describe('Replace every occurrence instead of exactly one')),
});

export const editFileTool = defineTool({
  name: 'edit_file',
  description: 'Replace exact text in a file. old_string must match the file exactly (indentation included) and occur once, unless replaceAll is set.',
  schema,
  permission: 'write',
  ruleKey: () => 'edit_file',
  title: (input) => `edit ${input.path}`,
  subject: (input) => input.path,
  async preview(input, ctx) {
    try {
      const { rel, text } = await readEditable(input.path, ctx);
      return await unifiedDiff(rel, text, planEdit(text, input, rel).result);
    } catch (err) {
      // The approval still shows why the edit cannot apply; running it gives the model the same message.
      if (err instanceof ToolFailure) return `(this edit would fail: ${err.message})`;
      throw err;
    }
  },
  async run(input, ctx) {
    const { abs, rel, text } = await readEditable(input.path, ctx);
    const edit = planEdit(text, input, rel);
    await writeFileAtomic(abs, edit.result);
    const summary = `+${edit.added} -${edit.removed}`;
    const count = edit.count === 1 ? '1 replacement' : `${edit.count} replacements`;
    return { isError: false, output: `Edited ${rel}: ${count} (${summary})`, summary, diff: await unifiedDiff(rel, text, edit.result) };
  },
});

/** The file an edit applies to, as text; a missing, binary or non-UTF-8 file is a ToolFailure. */
async function readEditable(path: string, ctx: ToolContext): Promise<{ abs: string; rel: string; text: string }> {
  const { abs, rel } = resolveWritable(ctx.root, path);
  const buf = await readFile(abs).catch(async (err: unknown) => {
    if (isMissing(err)) fail(`${await notFoundMessage(ctx.root, rel, ctx.signal)} (use write_file to create a new file)`);
    throw err;
  });
  if (buf.includes(0)) fail(`${rel} is a binary file; edit_file only edits text`);
  const text = buf.toString('utf8');
  // Writing back a decoded invalid-UTF-8 file would silently corrupt its other bytes.
  if (!Buffer.from(text, 'utf8').equals(buf)) fail(`${rel} is not valid UTF-8; edit it with bash (e.g. sed) instead`);
  return { abs, rel, text };
}

/** The file's new text after the edit, and its line counts; what cannot apply is a ToolFailure. */
function planEdit(text: string, input: z.infer<typeof schema>, rel: string): { result: string; count: number; added: number; removed: number } {
  if (input.old_string === input.new_string) fail('old_string and new_string are identical; there is nothing to change');
  let { old_string: oldText, new_string: newText } = input;
  let at = occurrences(text, oldText);
  if (at.length === 0 && text.includes('\r\n') && oldText.includes('\n')) {
    // The model writes \n; a CRLF file needs \r\n. Same edit, the file's own line endings.
    oldText = oldText.replace(/\r?\n/g, '\r\n');
    newText = newText.replace(/\r?\n/g, '\r\n');
    at = occurrences(text, oldText);
  }
  if (at.length === 0) fail(`old_string was not found in ${rel}. ${closestLinesHint(text, input.old_string)}`);
  if (at.length > 1 && !input.replaceAll) {
    const lines = at.map((i) => lineOf(text, i)).join(', ');
    fail(`old_string occurs ${at.length} times in ${rel} (lines ${lines}); include more surrounding lines to make it unique, or set replaceAll: true`);
  }

  let result = '';
  let from = 0;
  let added = 0;
  let removed = 0;
  for (const i of at) {
    result += text.slice(from, i) + newText;
    from = i + oldText.length;
    const lineStart = text.lastIndexOf('\n', i - 1) + 1;
    const nl = text.indexOf('\n', from);
    const lineEnd = nl === -1 ? text.length : nl;
    const delta = lineDelta(text.slice(lineStart, lineEnd), text.slice(lineStart, i) + newText + text.slice(from, lineEnd));
    added += delta.added;
    removed += delta.removed;
  }
  result += text.slice(from);
  return { result, count: at.length, added, removed };
}

function occurrences(text: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) at.push(i);
  return at;
}

export function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Lines added and removed between two versions of a region, ignoring unchanged leading and trailing lines. */
export function lineDelta(before: string, after: string): { added: number; removed: number } {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { added: endB - start, removed: endA - start };
}

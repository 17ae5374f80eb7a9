import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allTools, parseToolInput } from '../../src/tools/registry.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';

/** A tool's title, subject and preview for a call, as the guard and the UI get them. */
function display(name: string, input: unknown) {
  const parsed = parseToolInput(name, input);
  if (!parsed.ok) throw new Error(parsed.message);
  const { spec } = parsed;
  return {
    title: spec.title(parsed.input),
    subject: spec.subject(parsed.input),
    preview: (root: string) => spec.preview?.(parsed.input, { root, signal: new AbortController().signal }),
  };
}

describe('tool titles and subjects', () => {
  it('names each call in one line, and what it acts on', () => {
    const cases: [string, unknown, string, string][] = [
      ['read_file', { path: 'src/a.ts' }, 'read src/a.ts', 'src/a.ts'],
      ['list_files', {}, 'list .', '.'],
      ['glob', { pattern: '**/*.ts', path: 'src' }, 'glob **/*.ts in src', '**/*.ts in src'],
      ['grep', { pattern: 'TODO' }, 'grep TODO', 'TODO'],
      ['edit_file', { path: 'src/a.ts', old_string: 'a', new_string: 'b' }, 'edit src/a.ts', 'src/a.ts'],
      ['write_file', { path: 'b.ts', content: 'x\ny\n' }, 'write b.ts (2 lines)', 'b.ts'],
      ['bash', { command: 'npm test' }, 'bash: npm test', 'npm test'],
      ['ask_user', { question: 'Which one?' }, 'ask: Which one?', 'Which one?'],
    ];
    for (const [name, input, title, subject] of cases) expect(display(name, input), name).toMatchObject({ title, subject });
    expect(cases.map((c) => c[0]).sort()).toEqual(allTools.map((t) => t.name).sort());
  });

  it('keeps a multi-line command on one title line', () => {
    expect(display('bash', { command: 'npm ci\nnpm test' }).title).toBe('bash: npm ci ↵ npm test');
  });
});

describe('tool previews', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = makeTempRepo({ 'src/a.ts': 'export const a = 1;\nexport const b = 2;\n' });
  });
  afterEach(() => repo.cleanup());

  it('shows the unified diff an edit would make, without making it', async () => {
    const preview = await display('edit_file', { path: 'src/a.ts', old_string: 'b = 2', new_string: 'b = 3' }).preview(repo.root);
    expect(preview).toBe(
      ['--- a/src/a.ts', '+++ b/src/a.ts', '@@ -1,2 +1,2 @@', ' export const a = 1;', '-export const b = 2;', '+export const b = 3;'].join('\n'),
    );
    expect(readFileSync(join(repo.root, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\nexport const b = 2;\n');
  });

  it('says why an edit would fail', async () => {
    const preview = await display('edit_file', { path: 'src/a.ts', old_string: 'nope', new_string: 'x' }).preview(repo.root);
    expect(preview).toMatch(/^\(this edit would fail: old_string was not found in src\/a\.ts/);
  });

  it('diffs a write against the file it replaces, or against nothing for a new file', async () => {
    const over = await display('write_file', { path: 'src/a.ts', content: 'export const a = 1;\n' }).preview(repo.root);
    expect(over).toBe(['--- a/src/a.ts', '+++ b/src/a.ts', '@@ -1,2 +1,1 @@', ' export const a = 1;', '-export const b = 2;'].join('\n'));
    const created = await display('write_file', { path: 'new/c.ts', content: 'one\ntwo\n' }).preview(repo.root);
    expect(created).toBe(['--- /dev/null', '+++ b/new/c.ts', '@@ -0,0 +1,2 @@', '+one', '+two'].join('\n'));
  });

  it('shows the command for bash, and nothing for reads', async () => {
    expect(await display('bash', { command: 'npm ci\nnpm test' }).preview(repo.root)).toBe('npm ci\nnpm test');
    expect(await display('read_file', { path: 'src/a.ts' }).preview(repo.root)).toBeUndefined();
  });
});

import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/tools/atomic.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { runTool } from './support.js';

const source = ['function add(a, b) {', '  return a + b;', '}', '', 'function sub(a, b) {', '  return a - b;', '}', ''].join('\n');

describe('edit_file', () => {
  let repo: TempRepo;
  const read = (p: string) => readFileSync(join(repo.root, p), 'utf8');
  beforeEach(() => {
    repo = makeTempRepo({ 'math.js': source, 'dup.txt': 'x = 1\ny = 2\nx = 1\nz = 3\nx = 1\n' });
  });
  afterEach(() => repo.cleanup());

  it('replaces one exact occurrence and summarises lines added and removed', async () => {
    const res = await runTool(
      'edit_file',
      { path: 'math.js', old_string: '  return a + b;', new_string: '  const sum = a + b;\n  log(sum);\n  return sum;' },
      repo.root,
    );
    expect(res).toEqual({
      isError: false,
      output: 'Edited math.js: 1 replacement (+3 -1)',
      summary: '+3 -1',
      // For people (the transcript, /diff, baton show --diff), not the model.
      diff: expect.stringMatching(
        /^--- a\/math\.js\n\+\+\+ b\/math\.js\n@@ [^\n]+ @@\n function add\(a, b\) \{\n- {2}return a \+ b;\n\+ {2}const sum = a \+ b;\n\+ {2}log\(sum\);\n\+ {2}return sum;\n/,
      ),
    });
    expect(read('math.js')).toBe(source.replace('  return a + b;', '  const sum = a + b;\n  log(sum);\n  return sum;'));
  });

  it('inserts replacement text literally ($& and $1 are not patterns)', async () => {
    await runTool('edit_file', { path: 'math.js', old_string: 'a - b', new_string: '`$&` + $1' }, repo.root);
    expect(read('math.js')).toContain('  return `$&` + $1;');
  });

  it('no match: error showing the closest lines with their numbers', async () => {
    const res = await runTool('edit_file', { path: 'math.js', old_string: 'function sub(a, c) {\n  return a - c;', new_string: 'x' }, repo.root);
    expect(res.isError).toBe(true);
    expect(res.output).toBe(
      'old_string was not found in math.js. The most similar lines are (lines 5-6):\n' +
        '     5\tfunction sub(a, b) {\n     6\t  return a - b;\n' +
        'Copy the exact text (without the line-number prefix) into old_string.',
    );
    expect(read('math.js')).toBe(source);
  });

  it('no match because of indentation: says so', async () => {
    const res = await runTool('edit_file', { path: 'math.js', old_string: 'function add(a, b) {\nreturn a + b;', new_string: 'x' }, repo.root);
    expect(res.output).toBe(
      'old_string was not found in math.js. It differs from the file only in whitespace or indentation; the file has (lines 1-2):\n' +
        '     1\tfunction add(a, b) {\n     2\t  return a + b;\n' +
        'Copy the exact text (without the line-number prefix) into old_string.',
    );
  });

  it('several matches: error naming the count and lines; replaceAll replaces them all', async () => {
    const res = await runTool('edit_file', { path: 'dup.txt', old_string: 'x = 1', new_string: 'x = 9' }, repo.root);
    expect(res).toMatchObject({
      isError: true,
      output: 'old_string occurs 3 times in dup.txt (lines 1, 3, 5); include more surrounding lines to make it unique, or set replaceAll: true',
    });
    expect(read('dup.txt')).toBe('x = 1\ny = 2\nx = 1\nz = 3\nx = 1\n');
    const all = await runTool('edit_file', { path: 'dup.txt', old_string: 'x = 1', new_string: 'x = 9', replaceAll: true }, repo.root);
    expect(all).toMatchObject({ isError: false, output: 'Edited dup.txt: 3 replacements (+3 -3)', summary: '+3 -3' });
    expect(read('dup.txt')).toBe('x = 9\ny = 2\nx = 9\nz = 3\nx = 9\n');
  });

  it('refuses identical strings, empty old_string, missing files and binary files', async () => {
    const same = await runTool('edit_file', { path: 'math.js', old_string: 'a', new_string: 'a' }, repo.root);
    expect(same).toMatchObject({ isError: true, output: 'old_string and new_string are identical; there is nothing to change' });
    await expect(runTool('edit_file', { path: 'math.js', old_string: '', new_string: 'a' }, repo.root)).rejects.toThrow(
      'input.old_string: must not be empty; use write_file to create or replace a whole file',
    );
    const missing = await runTool('edit_file', { path: 'maths.js', old_string: 'a', new_string: 'b' }, repo.root);
    expect(missing.output).toBe('maths.js does not exist; did you mean: math.js? (use write_file to create a new file)');
    repo.write('bin.dat', 'ab\0cd');
    expect((await runTool('edit_file', { path: 'bin.dat', old_string: 'ab', new_string: 'x' }, repo.root)).output).toBe(
      'bin.dat is a binary file; edit_file only edits text',
    );
  });

  it('keeps CRLF line endings when old_string uses \\n', async () => {
    repo.write('win.txt', 'one\r\ntwo\r\nthree\r\n');
    const res = await runTool('edit_file', { path: 'win.txt', old_string: 'one\ntwo', new_string: 'one\n2' }, repo.root);
    expect(res.isError).toBe(false);
    expect(read('win.txt')).toBe('one\r\n2\r\nthree\r\n');
  });

  it('keeps the file mode and leaves no temp file behind', async () => {
    chmodSync(join(repo.root, 'math.js'), 0o751);
    await runTool('edit_file', { path: 'math.js', old_string: 'a - b', new_string: 'b - a' }, repo.root);
    expect(statSync(join(repo.root, 'math.js')).mode & 0o777).toBe(0o751);
    expect(readdirSync(repo.root).filter((f) => f.includes('.baton-'))).toEqual([]);
  });

  it('an interrupted atomic write leaves the old content intact', async () => {
    // A write that fails after the temp file exists (its target is a directory) must not touch the target or leak the temp.
    repo.write('dir/keep.txt', 'k');
    await expect(writeFileAtomic(join(repo.root, 'dir'), 'new')).rejects.toThrow();
    expect(read('dir/keep.txt')).toBe('k');
    expect(readdirSync(repo.root).filter((f) => f.includes('.baton-'))).toEqual([]);
  });
});

describe('write_file', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = makeTempRepo({ 'old.txt': 'a\nb\n' });
  });
  afterEach(() => repo.cleanup());

  it('creates parent directories and reports created / overwrote', async () => {
    const created = await runTool('write_file', { path: 'deep/er/new.ts', content: 'x\ny\nz\n' }, repo.root);
    expect(created).toEqual({
      isError: false,
      output: 'Wrote deep/er/new.ts: created (3 lines)',
      summary: 'created (3 lines)',
      diff: expect.stringMatching(/^--- \/dev\/null\n\+\+\+ b\/deep\/er\/new\.ts\n@@ -0,0 \+1,3 @@\n\+x\n\+y\n\+z$/),
    });
    expect(readFileSync(join(repo.root, 'deep/er/new.ts'), 'utf8')).toBe('x\ny\nz\n');
    const over = await runTool('write_file', { path: 'old.txt', content: 'only\n' }, repo.root);
    expect(over).toMatchObject({ isError: false, output: 'Wrote old.txt: overwrote 2 lines, now 1 lines', summary: 'overwrote 2 lines' });
    expect(over.diff).toContain('-a\n-b\n+only');
  });

  it('refuses directories', async () => {
    repo.write('d/x', '');
    expect((await runTool('write_file', { path: 'd', content: '' }, repo.root)).output).toBe('d is a directory; give a file path');
    expect((await runTool('write_file', { path: 'e/', content: '' }, repo.root)).output).toBe('e/ names a directory; give a file path');
  });
});

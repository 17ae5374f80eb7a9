import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToolFailure } from '../../src/tools/define.js';
import { resolveInProject } from '../../src/tools/paths.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { runTool } from './support.js';

describe('path confinement', () => {
  let repo: TempRepo;
  let outside: string;
  beforeEach(() => {
    repo = makeTempRepo({ 'src/a.ts': 'export const a = 1;\n' });
    outside = mkdtempSync(join(tmpdir(), 'baton-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'top secret\n');
  });
  afterEach(() => {
    repo.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  it('resolves relative and in-project absolute paths to root-relative form', () => {
    expect(resolveInProject(repo.root, 'src/a.ts')).toEqual({ abs: join(repo.root, 'src/a.ts'), rel: 'src/a.ts' });
    expect(resolveInProject(repo.root, join(repo.root, 'src/../src/a.ts')).rel).toBe('src/a.ts');
    expect(resolveInProject(repo.root, '.').rel).toBe('.');
    expect(resolveInProject(repo.root, 'new/dir/file.ts').rel).toBe('new/dir/file.ts');
  });

  it('refuses ../ escapes and absolute paths outside, naming the root and the expected form', () => {
    for (const p of ['../x', 'src/../../x', '/etc/passwd']) {
      const attempt = () => resolveInProject(repo.root, p);
      expect(attempt).toThrow(ToolFailure);
      expect(attempt).toThrow(`paths must be inside the project root ${repo.root}; give them relative to it`);
    }
  });

  it('refuses a symlink inside the project that points outside, for read and write', async () => {
    symlinkSync(join(outside, 'secret.txt'), join(repo.root, 'link.txt'));
    const read = await runTool('read_file', { path: 'link.txt' }, repo.root);
    expect(read.isError).toBe(true);
    expect(read.output).toContain('symbolic link');
    expect(read.output).not.toContain('top secret');

    const write = await runTool('write_file', { path: 'link.txt', content: 'pwned\n' }, repo.root);
    expect(write.isError).toBe(true);
    const edit = await runTool('edit_file', { path: 'link.txt', old_string: 'top', new_string: 'no' }, repo.root);
    expect(edit.isError).toBe(true);
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('top secret\n');
  });

  it('refuses a new file under a symlinked directory that points outside', async () => {
    symlinkSync(outside, join(repo.root, 'out'));
    const write = await runTool('write_file', { path: 'out/sub/new.txt', content: 'x' }, repo.root);
    expect(write.isError).toBe(true);
    expect(write.output).toMatch(/^refused: out\/sub\/new.txt leads through a symbolic link/);
    expect(existsSync(join(outside, 'sub'))).toBe(false);
  });

  it('refuses a dangling symlink whose target would be created outside', async () => {
    symlinkSync(join(outside, 'not-yet.txt'), join(repo.root, 'dangling.txt'));
    const write = await runTool('write_file', { path: 'dangling.txt', content: 'x' }, repo.root);
    expect(write.isError).toBe(true);
    expect(existsSync(join(outside, 'not-yet.txt'))).toBe(false);
  });

  it('lets write tools read but never write inside .git', async () => {
    const hook = await runTool('write_file', { path: '.git/hooks/pre-commit', content: '#!/bin/sh\necho pwned\n' }, repo.root);
    expect(hook).toMatchObject({
      isError: true,
      output: 'refused: .git/hooks/pre-commit is inside .git; change the repository with git commands through bash instead',
    });
    expect(existsSync(join(repo.root, '.git/hooks/pre-commit'))).toBe(false);
    expect((await runTool('edit_file', { path: '.git/HEAD', old_string: 'main', new_string: 'x' }, repo.root)).isError).toBe(true);
    expect((await runTool('read_file', { path: '.git/HEAD' }, repo.root)).output).toBe('     1\tref: refs/heads/main');
  });

  it('follows symlinks that stay inside the project and edits the real file, keeping the link', async () => {
    mkdirSync(join(repo.root, 'docs'));
    symlinkSync(join(repo.root, 'src'), join(repo.root, 'docs/src-link'));
    expect(resolveInProject(repo.root, 'docs/src-link/a.ts').rel).toBe('src/a.ts');
    symlinkSync('src/a.ts', join(repo.root, 'alias.ts'));
    const edit = await runTool('edit_file', { path: 'alias.ts', old_string: 'a = 1', new_string: 'a = 2' }, repo.root);
    // The edit names the real file (was ToolResult.changedFiles, removed as unused by the program).
    expect(edit).toMatchObject({ isError: false, output: expect.stringContaining('Edited src/a.ts:') });
    expect(readFileSync(join(repo.root, 'src/a.ts'), 'utf8')).toBe('export const a = 2;\n');
    expect(resolveInProject(repo.root, 'alias.ts').rel).toBe('src/a.ts');
  });
});

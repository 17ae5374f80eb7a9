import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/cli/project.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';

const toplevel = (cwd: string) => execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' }).trim();

describe('projectRoot (walks up to .git, as git does)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const repo = (): TempRepo => {
    const r = makeTempRepo({ 'a.txt': 'a\n' });
    cleanups.push(r.cleanup);
    return r;
  };

  it('is the work tree top level from a nested directory, the same as git rev-parse says', () => {
    const r = repo();
    const deep = join(r.root, 'src', 'deep');
    mkdirSync(deep, { recursive: true });
    expect(projectRoot(deep)).toBe(toplevel(deep));
    expect(projectRoot(r.root)).toBe(realpathSync(r.root));
  });

  it('a linked worktree is its own project (its .git is a file)', () => {
    const r = repo();
    const wt = join(mkdtempSync(join(tmpdir(), 'baton-wt-')), 'linked');
    cleanups.push(() => rmSync(wt, { recursive: true, force: true }));
    execFileSync('git', ['worktree', 'add', '-q', '-b', 'side', wt], { cwd: r.root });
    expect(projectRoot(join(wt))).toBe(toplevel(wt));
  });

  it('outside a work tree the directory itself is the project', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-nogit-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    expect(projectRoot(dir)).toBe(realpathSync(dir));
  });
});

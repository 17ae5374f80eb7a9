import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, realpathSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempRepo {
  root: string;
  /** A fresh BATON_HOME for this test, outside the repository. */
  home: string;
  write(path: string, content: string): void;
  git(...args: string[]): string;
  cleanup(): void;
}

/** A real git repository in a temp dir, with one commit holding `files`. */
export function makeTempRepo(files: Record<string, string> = { 'README.md': '# demo\n' }, opts: { git?: boolean } = {}): TempRepo {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'baton-test-')));
  const root = join(base, 'repo');
  const home = join(base, 'home');
  mkdirSync(root);
  mkdirSync(home);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
    });
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  if (opts.git !== false) {
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'initial');
  }
  return { root, home, write, git, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

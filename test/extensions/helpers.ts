import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Dirs {
  root: string;
  home: string;
  env: NodeJS.ProcessEnv;
  /** Writes a file under the project root. */
  project(path: string, text: string): void;
  /** Writes a file under $BATON_HOME. */
  user(path: string, text: string): void;
  cleanup(): void;
}

/** A project directory and a BATON_HOME in a fresh temp dir. */
export function makeDirs(): Dirs {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'baton-ext-')));
  const root = join(base, 'repo');
  const home = join(base, 'home');
  mkdirSync(root);
  mkdirSync(home);
  const write = (dir: string) => (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  return { root, home, env: { BATON_HOME: home }, project: write(root), user: write(home), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

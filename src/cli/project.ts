import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { worktreeTop } from '../git/worktree.js';

/**
 * The project a command works on: the top level of the git work tree containing cwd, else cwd
 * itself (real path, so symlinked checkouts share their rows). Rows in the store are keyed by it.
 *
 * Found by walking up to the nearest `.git` (a directory, or the file of a linked worktree or
 * submodule), as git itself does: a `git rev-parse` process cost every command ~10–20 ms before
 * anything else could start. When the environment changes git's rules (GIT_DIR, GIT_WORK_TREE,
 * GIT_CEILING_DIRECTORIES), git is asked.
 */
export function projectRoot(cwd: string = process.cwd()): string {
  const env = process.env;
  if (env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_CEILING_DIRECTORIES) return realpathSync(worktreeTop(cwd) ?? cwd);
  const real = realpathSync(cwd);
  for (let dir = real; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return real; // not in a work tree: the directory itself is the project
  }
}

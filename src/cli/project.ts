import { realpathSync } from 'node:fs';
import { worktreeTop } from '../git/worktree.js';

/**
 * The project a command works on: the git top-level directory containing cwd, else cwd itself
 * (real path, so symlinked checkouts share their rows). Rows in the store are keyed by it.
 */
export function projectRoot(cwd: string = process.cwd()): string {
  // Not a git repository (or git missing): the directory itself is the project.
  return realpathSync(worktreeTop(cwd) ?? cwd);
}

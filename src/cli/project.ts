import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';

/**
 * The project a command works on: the git top-level directory containing cwd, else cwd itself
 * (real path, so symlinked checkouts share their rows). Rows in the store are keyed by it.
 */
export function projectRoot(cwd: string = process.cwd()): string {
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (top) return realpathSync(top);
  } catch {
    // not a git repository (or git missing): the directory itself is the project
  }
  return realpathSync(cwd);
}

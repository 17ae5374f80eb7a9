/** What git knows about the work tree around a directory: its top level, its files, what it ignores. */
import { gitMaybe, gitSync, splitNul } from './exec.js';

/** The top-level directory of the work tree containing `cwd`, or undefined outside one (or without git). */
export function worktreeTop(cwd: string): string | undefined {
  return gitSync(cwd, ['rev-parse', '--show-toplevel'])?.trim() || undefined;
}

/**
 * The files under `dir` that git lists (tracked, and untracked ones .gitignore does not exclude),
 * relative to `dir`; null when `dir` is not in a work tree (or git is unavailable).
 */
export async function worktreeFiles(dir: string, signal?: AbortSignal): Promise<string[] | null> {
  const out = await gitMaybe(dir, ['ls-files', '-co', '--exclude-standard', '-z'], { signal });
  signal?.throwIfAborted();
  return out === undefined ? null : splitNul(out).filter((p) => !p.endsWith('/'));
}

/** Whether git ignores `dir` itself. */
export async function isIgnoredByGit(dir: string): Promise<boolean> {
  return (await gitMaybe(dir, ['check-ignore', '-q', '--', '.'])) !== undefined;
}

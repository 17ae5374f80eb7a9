/** What makes a repository the same project wherever it is checked out: its root commit and its origin. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { gitSync } from './exec.js';

export interface RepoIdentity {
  /** The oldest root commit reachable from HEAD; null before the first commit. */
  rootCommit: string | null;
  /** The origin remote's URL, normalised (scheme, user, `.git` and case of the host dropped); null without one. */
  origin: string | null;
}

/**
 * The identity of the repository around `dir`, or undefined outside one (or without git). Synchronous:
 * it answers before a run's first decision, once per process and path (the caller memoises).
 */
export function repoIdentity(dir: string): RepoIdentity | undefined {
  const inside = gitSync(dir, ['rev-parse', '--is-inside-work-tree'])?.trim();
  if (inside !== 'true') return undefined;
  // A history may have several roots (merged unrelated histories); the last listed is the oldest.
  const roots = gitSync(dir, ['rev-list', '--max-parents=0', 'HEAD'])?.trim().split('\n').filter(Boolean) ?? [];
  const url = gitSync(dir, ['config', '--get', 'remote.origin.url'])?.trim();
  return { rootCommit: roots.at(-1) ?? null, origin: url ? normalizeOrigin(url) : null };
}

/** `git@github.com:Org/Repo.git`, `https://user@github.com/Org/Repo/` → `github.com/Org/Repo`. */
export function normalizeOrigin(url: string): string {
  let u = url
    .trim()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(u);
  if (scp && !/^[a-z]+:\/\//i.test(u)) u = `${scp[1]}/${scp[2]}`;
  else u = u.replace(/^[a-z+]+:\/\//i, '').replace(/^[^@/]+@/, '');
  const slash = u.indexOf('/');
  return slash > 0 ? `${u.slice(0, slash).toLowerCase()}${u.slice(slash)}` : u;
}

/**
 * Which `.git` (directory, or the file of a linked worktree) sits at `dir` now: device, inode and
 * birth time (a `.git` removed and made again often gets the freed inode back). A re-clone or
 * `git init` at the same path makes a new one, so a remembered identity is trusted only while this
 * stays the same. Undefined without a `.git` there, or when the environment
 * (GIT_DIR, GIT_WORK_TREE) points git elsewhere.
 */
export function gitEntryStamp(dir: string): string | undefined {
  if (process.env.GIT_DIR || process.env.GIT_WORK_TREE) return undefined;
  try {
    const st = statSync(join(dir, '.git'), { bigint: true });
    return `${st.dev}:${st.ino}:${st.birthtimeNs}`;
  } catch {
    return undefined;
  }
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { git, GitError, gitMaybe } from './exec.js';

/** A working tree baton may checkpoint: its root and where git keeps this worktree's state. */
export interface GitRepo {
  root: string;
  /** This worktree's git directory (MERGE_HEAD, rebase-merge, … live here). */
  gitDir: string;
  /** The user's index file: copied (never written) to seed private snapshot indexes. */
  indexPath: string;
}

export type RepoProbe = { repo: GitRepo } | { repo?: undefined; reason: string };

export const NOT_A_REPO = 'not a git repository: undo is unavailable here';

/** Finds the repository at `root`; when there is none, says why in words fit for a notice. */
export async function probeRepo(root: string): Promise<RepoProbe> {
  const local = repoAt(root);
  if (local) return { repo: local };
  try {
    const [gitDir, indexPath] = (await git(root, ['rev-parse', '--git-dir', '--git-path', 'index'])).trim().split('\n');
    if (!gitDir || !indexPath) return { reason: NOT_A_REPO };
    return { repo: { root, gitDir: resolve(root, gitDir), indexPath: resolve(root, indexPath) } };
  } catch (err) {
    const detail = err instanceof GitError ? err.message : String(err);
    // "not a git repository" is the ordinary case; anything else (git missing, dubious ownership) is named.
    return { reason: /not a git repository/i.test(detail) ? NOT_A_REPO : `git is unavailable here (${detail}): undo is unavailable` };
  }
}

/**
 * The repository whose `.git` sits at `root`, read from the file system as git reads it (a directory,
 * or a linked worktree's `gitdir:` file): every run starts with this, and a `git rev-parse` process
 * cost ~10 ms of it. Undefined when git must be asked: no `.git` there, or the environment moves
 * git's directory or index (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, GIT_COMMON_DIR).
 */
function repoAt(root: string): GitRepo | undefined {
  const env = process.env;
  if (env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_INDEX_FILE || env.GIT_COMMON_DIR) return undefined;
  try {
    const dotGit = join(root, '.git');
    let gitDir = dotGit;
    if (statSync(dotGit).isFile()) {
      const pointer = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      if (!pointer) return undefined;
      gitDir = resolve(root, pointer);
    }
    // What git itself checks first: without HEAD the directory is not a repository.
    if (!existsSync(join(gitDir, 'HEAD'))) return undefined;
    return { root, gitDir, indexPath: join(gitDir, 'index') };
  } catch {
    return undefined;
  }
}

/** The commit HEAD points at, or null on an unborn branch. */
export async function headCommit(root: string): Promise<string | null> {
  return (await gitMaybe(root, ['rev-parse', '-q', '--verify', 'HEAD^{commit}']))?.trim() || null;
}

/** The operation a user is in the middle of (merge, rebase, …), if any: committing then would be wrong. */
export function operationInProgress(repo: GitRepo): string | undefined {
  const markers: [string, string][] = [
    ['MERGE_HEAD', 'a merge'],
    ['rebase-merge', 'a rebase'],
    ['rebase-apply', 'a rebase or am'],
    ['CHERRY_PICK_HEAD', 'a cherry-pick'],
    ['REVERT_HEAD', 'a revert'],
  ];
  return markers.find(([file]) => existsSync(resolve(repo.gitDir, file)))?.[1];
}

export const checkpointRef = (runId: string): string => `refs/baton/checkpoints/${runId}`;
export const CHECKPOINT_REF_PREFIX = 'refs/baton/checkpoints/';

export async function setRef(root: string, ref: string, commit: string): Promise<void> {
  await git(root, ['update-ref', ref, commit]);
}

export async function deleteRefs(root: string, refs: readonly string[]): Promise<void> {
  if (refs.length === 0) return;
  await git(root, ['update-ref', '--stdin'], { input: refs.map((r) => `delete ${r}\n`).join('') });
}

export async function listRefs(root: string, prefix: string): Promise<string[]> {
  return (await git(root, ['for-each-ref', '--format=%(refname)', prefix])).split('\n').filter(Boolean);
}

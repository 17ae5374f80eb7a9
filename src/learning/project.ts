/**
 * A project's identity: the repository's root commit (a clone, a move or a worktree has the same
 * one), else its origin URL (a fresh clone of an empty repository), else the folder's path. Lessons
 * and pattern statistics are kept per identity; the path stays on every row for display.
 */
import { gitEntryStamp, repoIdentity } from '../git/identity.js';
import type { Db } from '../store/db.js';
import { projectOfPath, projectPaths, registerProjectPath } from '../store/projects.js';

export interface ProjectIdentity {
  /** What lessons are keyed by. */
  key: string;
  /** Every checkout path of this project baton has seen, this one included. */
  paths: string[];
}

/** Resolved once per process, database and path: git is asked only the first time. */
const cache = new WeakMap<Db, Map<string, string>>();

/** The identity key of the checkout at `path`, computed without touching the store. */
export function identityKey(path: string): { key: string; rootCommit: string | null; origin: string | null } {
  const id = repoIdentity(path);
  if (id?.rootCommit) return { key: `git:${id.rootCommit}`, ...id };
  if (id?.origin) return { key: `origin:${id.origin}`, ...id };
  return { key: path, rootCommit: null, origin: null };
}

/**
 * The project `path` belongs to. A root commit recorded for the path is trusted while the same
 * `.git` is there (git takes three processes, ~45 ms of every run's start, to say it again);
 * otherwise git is asked, the path recorded under its key and the lessons still keyed by the path
 * moved to the key (rows from before identities). Once per process, database and path.
 */
export function resolveProject(db: Db, path: string): ProjectIdentity {
  let known = cache.get(db);
  if (!known) cache.set(db, (known = new Map()));
  let key = known.get(path);
  if (key === undefined) {
    const stamp = gitEntryStamp(path);
    const recorded = projectOfPath(db, path);
    if (stamp && recorded?.root_commit && recorded.git_stamp === stamp) key = recorded.key;
    else {
      const id = identityKey(path);
      key = id.key;
      registerProjectPath(db, { path, key, rootCommit: id.rootCommit, origin: id.origin, gitStamp: stamp ?? null });
    }
    known.set(path, key);
  }
  const paths = projectPaths(db, key);
  return { key, paths: paths.includes(path) ? paths : [path, ...paths] };
}

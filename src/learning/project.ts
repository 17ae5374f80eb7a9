/**
 * A project's identity: the repository's root commit (a clone, a move or a worktree has the same
 * one), else its origin URL (a fresh clone of an empty repository), else the folder's path. Lessons
 * and pattern statistics are kept per identity; the path stays on every row for display.
 */
import { repoIdentity } from '../git/identity.js';
import type { Db } from '../store/db.js';
import { projectPaths, registerProjectPath } from '../store/projects.js';

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
 * The project `path` belongs to. The first time in a process it asks git, records the path under
 * its key and moves the lessons still keyed by the path to the key (rows from before identities).
 */
export function resolveProject(db: Db, path: string): ProjectIdentity {
  let known = cache.get(db);
  if (!known) cache.set(db, (known = new Map()));
  let key = known.get(path);
  if (key === undefined) {
    const id = identityKey(path);
    key = id.key;
    registerProjectPath(db, { path, key, rootCommit: id.rootCommit, origin: id.origin });
    known.set(path, key);
  }
  const paths = projectPaths(db, key);
  return { key, paths: paths.includes(path) ? paths : [path, ...paths] };
}

/** Which identity each checkout path belongs to (see learning/project.ts), and moving path-keyed rows to it. */
import { now, type Db } from './db.js';

export interface ProjectRow {
  path: string;
  key: string;
  root_commit: string | null;
  origin: string | null;
  seen_at: number;
  /** The `.git` the root commit was read from (device:inode:birth time): the identity holds while it is there. */
  git_stamp: string | null;
}

/**
 * Records that `path` is a checkout of project `key`, and moves the lessons still keyed by the path
 * (written before baton knew the identity) to the key. Returns how many lessons moved.
 */
export function registerProjectPath(
  db: Db,
  row: { path: string; key: string; rootCommit: string | null; origin: string | null; gitStamp?: string | null },
): number {
  db.prepare(
    `INSERT INTO projects (path, key, root_commit, origin, seen_at, git_stamp) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (path) DO UPDATE SET key = excluded.key, root_commit = excluded.root_commit, origin = excluded.origin,
       seen_at = excluded.seen_at, git_stamp = excluded.git_stamp`,
  ).run(row.path, row.key, row.rootCommit, row.origin, now(), row.gitStamp ?? null);
  if (row.key === row.path) return 0;
  return db.prepare('UPDATE lessons SET project_key = ? WHERE project_key = ?').run(row.key, row.path).changes;
}

/** The checkout paths known for a project key. */
export function projectPaths(db: Db, key: string): string[] {
  return db.prepare('SELECT path FROM projects WHERE key = ? ORDER BY seen_at DESC').pluck().all(key) as string[];
}

export function projectOfPath(db: Db, path: string): ProjectRow | undefined {
  return db.prepare('SELECT * FROM projects WHERE path = ?').get(path) as ProjectRow | undefined;
}

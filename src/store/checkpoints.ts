/**
 * Typed queries for the git safety net: `checkpoints` (one per run that changed a repository)
 * and `run_files` (every file it created, modified or deleted).
 */
import { hostname } from 'node:os';
import * as z from '../core/zod.js';
import { immediate, now, type Db } from './db.js';

export const fileChangeSchema = z.enum(['created', 'modified', 'deleted']);
export type FileChange = z.infer<typeof fileChangeSchema>;

/** A run's file changes, grouped; paths are repository-relative with `/` separators. */
export type RunChanges = Record<FileChange, string[]>;

export interface Checkpoint {
  runId: string;
  ref: string;
  /** Snapshot commit of the working tree before the run's first change. */
  commitSha: string;
  headBefore: string | null;
  headAfter: string | null;
  /** Snapshot commit of the working tree when the run ended (null while it has not). */
  afterSha: string | null;
  /** The undo run that reverted this run, if any. */
  undoneBy: string | null;
  createdAt: number;
}

interface CheckpointRow {
  run_id: string;
  ref: string;
  commit_sha: string;
  head_before: string | null;
  head_after: string | null;
  after_sha: string | null;
  undone_by: string | null;
  created_at: number;
}

const toCheckpoint = (r: CheckpointRow): Checkpoint => ({
  runId: r.run_id,
  ref: r.ref,
  commitSha: r.commit_sha,
  headBefore: r.head_before,
  headAfter: r.head_after,
  afterSha: r.after_sha,
  undoneBy: r.undone_by,
  createdAt: r.created_at,
});

export function getCheckpoint(db: Db, runId: string): Checkpoint | undefined {
  const row = db.prepare('SELECT * FROM checkpoints WHERE run_id = ?').get(runId) as CheckpointRow | undefined;
  return row && toCheckpoint(row);
}

export function insertCheckpoint(db: Db, c: { runId: string; ref: string; commitSha: string; headBefore: string | null }): void {
  db.prepare('INSERT INTO checkpoints (run_id, ref, commit_sha, head_before, created_at) VALUES (?, ?, ?, ?, ?)').run(
    c.runId,
    c.ref,
    c.commitSha,
    c.headBefore,
    now(),
  );
}

/** Records how a run left the tree; replaces earlier file rows (a resumed run ends more than once). */
export function recordRunEnd(db: Db, runId: string, end: { headAfter: string | null; afterSha: string; changes: RunChanges }): void {
  immediate(db, () => {
    db.prepare('UPDATE checkpoints SET head_after = ?, after_sha = ? WHERE run_id = ?').run(end.headAfter, end.afterSha, runId);
    replaceRunFiles(db, runId, end.changes);
  });
}

function replaceRunFiles(db: Db, runId: string, changes: RunChanges): void {
  db.prepare('DELETE FROM run_files WHERE run_id = ?').run(runId);
  const insert = db.prepare('INSERT INTO run_files (run_id, path, change) VALUES (?, ?, ?)');
  for (const change of fileChangeSchema.options) for (const path of changes[change]) insert.run(runId, path, change);
}

export function setHeadAfter(db: Db, runId: string, head: string): void {
  db.prepare('UPDATE checkpoints SET head_after = ? WHERE run_id = ?').run(head, runId);
}

/** Forgets a checkpoint (a run that changed nothing keeps none). */
export function deleteCheckpoint(db: Db, runId: string): void {
  immediate(db, () => {
    db.prepare('DELETE FROM run_files WHERE run_id = ?').run(runId);
    db.prepare('DELETE FROM checkpoints WHERE run_id = ?').run(runId);
  });
}

export function runChanges(db: Db, runId: string): RunChanges {
  const rows = db.prepare('SELECT path, change FROM run_files WHERE run_id = ? ORDER BY path').all(runId) as { path: string; change: string }[];
  const changes = emptyChanges();
  for (const row of rows) changes[fileChangeSchema.parse(row.change)].push(row.path);
  return changes;
}

export const emptyChanges = (): RunChanges => ({ created: [], modified: [], deleted: [] });
export const changeCount = (c: RunChanges): number => c.created.length + c.modified.length + c.deleted.length;

/**
 * The run `baton undo` acts on by default: the newest run in this project that has something
 * to undo (it changed files, or it never recorded its end). An undo is itself such a run, so a
 * second `baton undo` undoes the first.
 */
export function latestUndoableRunId(db: Db, project: string): string | undefined {
  return db
    .prepare(
      `SELECT r.id FROM runs r JOIN checkpoints c ON c.run_id = r.id
       WHERE r.project = ? AND (c.after_sha IS NULL OR EXISTS (SELECT 1 FROM run_files f WHERE f.run_id = r.id))
       ORDER BY r.started_at DESC, r.id DESC LIMIT 1`,
    )
    .pluck()
    .get(project) as string | undefined;
}

/** Of `ids`, those that are still runs in the database. */
export function existingRunIds(db: Db, ids: readonly string[]): Set<string> {
  const found = new Set<string>();
  const query = db.prepare('SELECT id FROM runs WHERE id = ?').pluck();
  for (const id of ids) if (query.get(id) !== undefined) found.add(id);
  return found;
}

/**
 * Records an undo as a run of its own (in the undone run's thread, so history shows them
 * together) with its own checkpoint, and marks the target undone, in one transaction.
 */
export function recordUndo(
  db: Db,
  u: {
    undoRunId: string;
    target: { id: string; threadId: string };
    project: string;
    ref: string;
    beforeSha: string;
    afterSha: string;
    head: string | null;
    changes: RunChanges;
    summary: string;
  },
): void {
  immediate(db, () => {
    const t = now();
    db.prepare(
      `INSERT INTO runs (id, thread_id, project, prompt, status, result, model, permission_mode, owner_pid, owner_host, started_at, finished_at)
       VALUES (?, ?, ?, ?, 'completed', ?, 'none', 'bypass', ?, ?, ?, ?)`,
    ).run(u.undoRunId, u.target.threadId, u.project, `undo ${u.target.id}`, u.summary, process.pid, hostname(), t, t);
    db.prepare(`INSERT INTO checkpoints (run_id, ref, commit_sha, head_before, head_after, after_sha, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
      u.undoRunId,
      u.ref,
      u.beforeSha,
      u.head,
      u.head,
      u.afterSha,
      t,
    );
    replaceRunFiles(db, u.undoRunId, u.changes);
    db.prepare('UPDATE checkpoints SET undone_by = ? WHERE run_id = ?').run(u.undoRunId, u.target.id);
  });
}

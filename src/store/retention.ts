/** The retention delete behind `baton gc`: what would go, and deleting it. */
import type { Db } from './db.js';
import { scopeWhere } from './views/scope.js';

export interface GcPlan {
  runs: number;
  oldest: number | null;
  newest: number | null;
  /** Threads whose every run would go. */
  threads: number;
  /** Lessons written by the runs that would go. */
  lessons: number;
}

/** Runs gc may delete: started before the cutoff and not `running` (a live process may own it). */
const gcWhere = (scope: { project?: string | undefined; before: number }, alias = 'r') =>
  scopeWhere({ project: scope.project, before: scope.before, notRunning: true }, alias);

export function planGc(db: Db, scope: { project?: string | undefined; before: number }): GcPlan {
  const w = gcWhere(scope);
  const runs = db
    .prepare(`SELECT count(*) AS runs, min(r.started_at) AS oldest, max(r.started_at) AS newest FROM runs r WHERE ${w.sql}`)
    .get(...w.params) as Pick<GcPlan, 'runs' | 'oldest' | 'newest'>;
  const threads = db
    .prepare(
      `SELECT count(*) FROM threads t WHERE t.id IN (SELECT r.thread_id FROM runs r WHERE ${w.sql})
         AND NOT EXISTS (SELECT 1 FROM runs k WHERE k.thread_id = t.id AND NOT (${gcWhere(scope, 'k').sql}))`,
    )
    .pluck()
    .get(...w.params, ...w.params) as number;
  const lessons = db
    .prepare(`SELECT count(*) FROM lessons l WHERE l.run_id IN (SELECT r.id FROM runs r WHERE ${w.sql})`)
    .pluck()
    .get(...w.params) as number;
  return { ...runs, threads, lessons };
}

/**
 * Deletes the runs planGc counts, with every row that hangs off them (foreign keys cascade; the
 * search triggers drop their text), the threads left without runs, and with `lessons` the lessons
 * those runs wrote. One IMMEDIATE transaction: all or nothing. Returns the projects the runs were
 * in (their checkpoint refs can go next); the caller vacuums afterwards.
 */
export function deleteOldRuns(
  db: Db,
  scope: { project?: string | undefined; before: number; lessons: boolean },
): { runs: number; threads: number; lessons: number; projects: string[] } {
  const w = gcWhere(scope);
  return db
    .transaction(() => {
      db.exec('CREATE TEMP TABLE gc_runs (id TEXT PRIMARY KEY, thread_id TEXT NOT NULL, project TEXT NOT NULL)');
      db.prepare(`INSERT INTO gc_runs SELECT r.id, r.thread_id, r.project FROM runs r WHERE ${w.sql}`).run(...w.params);
      const projects = db.prepare('SELECT DISTINCT project FROM gc_runs').pluck().all() as string[];
      const lessons = scope.lessons ? db.prepare('DELETE FROM lessons WHERE run_id IN (SELECT id FROM gc_runs)').run().changes : 0;
      // tool_calls cascade from agent_calls, which cascade from runs, like every other run table.
      const runs = db.prepare('DELETE FROM runs WHERE id IN (SELECT id FROM gc_runs)').run().changes;
      const threads = db
        .prepare(
          `DELETE FROM threads WHERE id IN (SELECT DISTINCT thread_id FROM gc_runs)
             AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.thread_id = threads.id)`,
        )
        .run().changes;
      db.exec('DROP TABLE gc_runs');
      return { runs, threads, lessons, projects };
    })
    .immediate();
}

/** Gives the freed pages back to the file system. VACUUM cannot run inside a transaction; it rewrites the file without them. */
export function compactDatabase(db: Db): void {
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** The runs list behind `baton history` (and gc's listing), and whether anything is recorded at all. */
import type { RunStatus } from '../../core/events.js';
import type { Db } from '../db.js';
import { scopeWhere, type RunFilter, type Spend } from './scope.js';

/** One run as history lists it. Tokens and cost include the post-run analysis (runs.cost_usd does not). */
export interface RunSummary extends Spend {
  id: string;
  threadId: string;
  project: string;
  prompt: string;
  status: RunStatus;
  pattern: string | null;
  outcome: string | null;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
  analysisCostUsd: number;
  feedbackGood: number;
  feedbackBad: number;
}

const summaryColumns = `
  r.id, r.thread_id AS threadId, r.project, r.prompt, r.status, r.pattern, a.outcome, r.error,
  r.started_at AS startedAt, r.finished_at AS finishedAt,
  r.input_tokens + coalesce(a.input_tokens, 0) AS inputTokens,
  r.output_tokens + coalesce(a.output_tokens, 0) AS outputTokens,
  r.cache_read_tokens + coalesce(a.cache_read_tokens, 0) AS cacheReadTokens,
  r.cache_write_tokens + coalesce(a.cache_write_tokens, 0) AS cacheWriteTokens,
  r.cost_usd + coalesce(a.cost_usd, 0) AS costUsd, coalesce(a.cost_usd, 0) AS analysisCostUsd,
  (SELECT count(*) FROM feedback f WHERE f.run_id = r.id AND f.verdict = 'good') AS feedbackGood,
  (SELECT count(*) FROM feedback f WHERE f.run_id = r.id AND f.verdict = 'bad') AS feedbackBad`;

/** Runs newest first. */
export function listRuns(db: Db, filter: RunFilter): RunSummary[] {
  const where = scopeWhere(filter);
  const limit = filter.limit ?? -1;
  return db
    .prepare(
      `SELECT ${summaryColumns} FROM runs r LEFT JOIN analyses a ON a.run_id = r.id
       WHERE ${where.sql} ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
    )
    .all(...where.params, limit) as RunSummary[];
}

export function getRunSummary(db: Db, runId: string): RunSummary | undefined {
  return db.prepare(`SELECT ${summaryColumns} FROM runs r LEFT JOIN analyses a ON a.run_id = r.id WHERE r.id = ?`).get(runId) as RunSummary | undefined;
}

/** Whether any run is recorded in the project and in the whole database: tells "empty database" from "nothing here". */
export function hasRuns(db: Db, project?: string): { here: boolean; anywhere: boolean } {
  const anywhere = db.prepare('SELECT EXISTS (SELECT 1 FROM runs)').pluck().get() === 1;
  if (project === undefined || !anywhere) return { here: anywhere, anywhere };
  return { here: db.prepare('SELECT EXISTS (SELECT 1 FROM runs WHERE project = ?)').pluck().get(project) === 1, anywhere };
}

/**
 * The shortest prefix of each run id (at least `min` characters) that no other run shares, like git's short hashes
 * (here rather than in ids.ts: every list of runs needs it, and one module less is one chunk less to load).
 */
export function shortRunIds(db: Db, ids: readonly string[], min = 8): Map<string, string> {
  const before = db.prepare('SELECT id FROM runs WHERE id < ? ORDER BY id DESC LIMIT 1').pluck();
  const after = db.prepare('SELECT id FROM runs WHERE id > ? ORDER BY id LIMIT 1').pluck();
  const common = (a: string, b: string | undefined) => {
    if (b === undefined) return 0;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return i;
  };
  const out = new Map<string, string>();
  for (const id of ids) {
    const shared = Math.max(common(id, before.get(id) as string | undefined), common(id, after.get(id) as string | undefined));
    out.set(id, id.slice(0, Math.max(min, shared + 1)));
  }
  return out;
}

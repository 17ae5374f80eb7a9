/** Outcomes and cost per pattern over time: the report's chart. */
import type { Db } from '../db.js';
import { scopeWhere, type RunScope } from './scope.js';

export interface OutcomeBucket {
  pattern: string;
  /** Start of the bucket (epoch ms, a multiple of the bucket size). */
  bucket: number;
  success: number;
  partial: number;
  failure: number;
  /** Runs without an analysis (still running, waiting, interrupted before analysis). */
  unknown: number;
  costUsd: number;
}

/** Outcome counts and cost per pattern per time bucket, oldest first. */
export function outcomesOverTime(db: Db, scope: RunScope, bucketMs: number): OutcomeBucket[] {
  const w = scopeWhere(scope);
  return db
    .prepare(
      `SELECT coalesce(r.pattern, '(none)') AS pattern, r.started_at - r.started_at % ? AS bucket,
         coalesce(sum(a.outcome = 'success'), 0) AS success, coalesce(sum(a.outcome = 'partial'), 0) AS partial,
         coalesce(sum(a.outcome = 'failure'), 0) AS failure, sum(a.outcome IS NULL) AS unknown,
         sum(r.cost_usd + coalesce(a.cost_usd, 0)) AS costUsd
       FROM runs r LEFT JOIN analyses a ON a.run_id = r.id WHERE ${w.sql}
       GROUP BY 1, 2 ORDER BY 2, 1`,
    )
    .all(Math.round(bucketMs), ...w.params) as OutcomeBucket[];
}

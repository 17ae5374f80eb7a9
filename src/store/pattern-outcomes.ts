import type { Db } from './db.js';

/** Outcome counts of one pattern over a project's recent finished runs. */
export interface PatternOutcomeRow {
  pattern: string;
  runs: number;
  completed: number;
  /** failed or interrupted */
  failed: number;
  cancelled: number;
  /** completed, not rated bad, and judged a success by the post-run analysis or rated good */
  successes: number;
  /** failed, interrupted, judged a failure, or rated bad */
  failures: number;
  /** completed with neither an analysis nor a verdict saying how it went */
  unjudged: number;
  good: number;
  bad: number;
  meanCostUsd: number;
  meanDurationMs: number;
}

/**
 * Over the project's last `window` finished runs in any of its checkout `paths`; a run's pattern is
 * the one it ran (else its last decision's).
 */
export function patternOutcomes(db: Db, paths: readonly string[], window: number): PatternOutcomeRow[] {
  return db
    .prepare(
      `WITH recent AS (
         SELECT r.status, r.cost_usd, r.finished_at - r.started_at AS duration,
           COALESCE(r.pattern, (SELECT d.pattern FROM decisions d WHERE d.run_id = r.id ORDER BY d.seq DESC LIMIT 1)) AS pattern,
           (SELECT f.verdict FROM feedback f WHERE f.run_id = r.id ORDER BY f.id DESC LIMIT 1) AS verdict,
           (SELECT a.outcome FROM analyses a WHERE a.run_id = r.id) AS outcome
         FROM runs r
         WHERE r.project IN (SELECT value FROM json_each(?)) AND r.status IN ('completed', 'failed', 'cancelled', 'interrupted')
         ORDER BY r.started_at DESC LIMIT ?
       )
       SELECT pattern, COUNT(*) AS runs,
         SUM(status IS 'completed') AS completed,
         SUM(status IN ('failed', 'interrupted')) AS failed,
         SUM(status IS 'cancelled') AS cancelled,
         SUM(status IS 'completed' AND verdict IS NOT 'bad' AND (outcome IS 'success' OR verdict IS 'good')) AS successes,
         SUM(status IN ('failed', 'interrupted') OR verdict IS 'bad' OR (outcome IS 'failure' AND verdict IS NOT 'good')) AS failures,
         SUM(status IS 'completed' AND verdict IS NULL AND outcome IS NULL) AS unjudged,
         SUM(verdict IS 'good') AS good,
         SUM(verdict IS 'bad') AS bad,
         AVG(cost_usd) AS meanCostUsd,
         COALESCE(AVG(duration), 0) AS meanDurationMs
       FROM recent WHERE pattern IS NOT NULL
       GROUP BY pattern ORDER BY runs DESC, pattern`,
    )
    .all(JSON.stringify(paths), window) as PatternOutcomeRow[];
}

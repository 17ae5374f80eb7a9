/** Per-pattern outcome statistics of a project's recent runs: what the next decision learns from. */
import type { Db } from '../store/db.js';

export interface PatternStat {
  pattern: string;
  runs: number;
  completed: number;
  /** failed or interrupted */
  failed: number;
  cancelled: number;
  /** completed, not rated bad, and not judged a failure by the post-run analysis */
  successes: number;
  successRate: number;
  good: number;
  bad: number;
  meanCostUsd: number;
  meanDurationMs: number;
}

export const STATS_WINDOW = 200;

/** Over the project's last `window` finished runs; a run's pattern is the one it ran (else its last decision's). */
export function patternStats(db: Db, project: string, window = STATS_WINDOW): PatternStat[] {
  const rows = db
    .prepare(
      `WITH recent AS (
         SELECT r.status, r.cost_usd, r.finished_at - r.started_at AS duration,
           COALESCE(r.pattern, (SELECT d.pattern FROM decisions d WHERE d.run_id = r.id ORDER BY d.seq DESC LIMIT 1)) AS pattern,
           (SELECT f.verdict FROM feedback f WHERE f.run_id = r.id ORDER BY f.id DESC LIMIT 1) AS verdict,
           (SELECT a.outcome FROM analyses a WHERE a.run_id = r.id) AS outcome
         FROM runs r
         WHERE r.project = ? AND r.status IN ('completed', 'failed', 'cancelled', 'interrupted')
         ORDER BY r.started_at DESC LIMIT ?
       )
       SELECT pattern, COUNT(*) AS runs,
         SUM(status IS 'completed') AS completed,
         SUM(status IN ('failed', 'interrupted')) AS failed,
         SUM(status IS 'cancelled') AS cancelled,
         SUM(status IS 'completed' AND verdict IS NOT 'bad' AND outcome IS NOT 'failure') AS successes,
         SUM(verdict IS 'good') AS good,
         SUM(verdict IS 'bad') AS bad,
         AVG(cost_usd) AS meanCostUsd,
         COALESCE(AVG(duration), 0) AS meanDurationMs
       FROM recent WHERE pattern IS NOT NULL
       GROUP BY pattern ORDER BY runs DESC, pattern`,
    )
    .all(project, window) as Omit<PatternStat, 'successRate'>[];
  return rows.map((r) => ({ ...r, successRate: r.successes / r.runs }));
}

/** One line per pattern, for the decision prompt. */
export function statsText(stats: readonly PatternStat[]): string {
  if (stats.length === 0) return 'no finished runs in this project yet';
  return stats
    .map(
      (s) =>
        `${s.pattern}: ${s.runs} runs, ${Math.round(s.successRate * 100)}% success, ${s.failed} failed, ${s.cancelled} cancelled, ` +
        `feedback +${s.good}/-${s.bad}, avg $${s.meanCostUsd.toFixed(3)}, ${Math.round(s.meanDurationMs / 1000)}s`,
    )
    .join('\n');
}

/** Per-pattern outcome statistics of a project's recent runs: what the next decision learns from. */
import type { Db } from '../store/db.js';
import { patternOutcomes, type PatternOutcomeRow } from '../store/pattern-outcomes.js';

export interface PatternStat extends PatternOutcomeRow {
  successRate: number;
}

export const STATS_WINDOW = 200;

/** Over the project's last `window` finished runs; a run's pattern is the one it ran (else its last decision's). */
export function patternStats(db: Db, project: string, window = STATS_WINDOW): PatternStat[] {
  const rows = patternOutcomes(db, project, window);
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

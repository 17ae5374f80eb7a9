/**
 * Per-pattern outcome statistics of a project's recent runs (all its checkouts): what the next
 * decision learns from. The decision sees counts and an interval, not a bare percentage, so three
 * runs are not read as a proven 100%.
 */
import type { Db } from '../store/db.js';
import { patternOutcomes, type PatternOutcomeRow } from '../store/pattern-outcomes.js';
import { resolveProject } from './project.js';

export interface PatternStat extends PatternOutcomeRow {
  /** Successes over judged runs (successes + failures); 0 when none is judged. */
  successRate: number;
  /** 95% Wilson interval of the success rate over judged runs. */
  interval: [number, number];
}

export const STATS_WINDOW = 200;

/** Wilson score interval (95%): honest for small counts, unlike successes/n ± a normal error. */
export function wilson(successes: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Over the project's last `window` finished runs; a run's pattern is the one it ran (else its last decision's). */
export function patternStats(db: Db, projectPath: string, window = STATS_WINDOW): PatternStat[] {
  const rows = patternOutcomes(db, resolveProject(db, projectPath).paths, window);
  return rows.map((r) => {
    const judged = r.successes + r.failures;
    return { ...r, successRate: judged ? r.successes / judged : 0, interval: wilson(r.successes, judged) };
  });
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** One line per pattern, for the decision prompt. */
export function statsText(stats: readonly PatternStat[]): string {
  if (stats.length === 0) return 'no finished runs in this project yet';
  return stats
    .map((s) => {
      const judged = s.successes + s.failures;
      const rate = judged ? `success ${pct(s.interval[0])}-${pct(s.interval[1])} (95% interval over ${judged} judged)` : 'success unknown (none judged)';
      return (
        `${s.pattern}: ${s.runs} runs: ${s.successes} succeeded, ${s.failures} failed, ${s.unjudged} not judged, ${s.cancelled} cancelled; ` +
        `feedback ${s.good} good / ${s.bad} bad; ${rate}; avg $${s.meanCostUsd.toFixed(3)}, ${Math.round(s.meanDurationMs / 1000)}s`
      );
    })
    .join('\n');
}

/** Per-pattern and per-role figures behind `baton stats` and the report. */
import type { Db } from '../db.js';
import { scopeWhere, type RunScope } from './scope.js';

export interface PatternStatsView {
  pattern: string;
  runs: number;
  /** Runs with an analysis; the success rate is successes / analysed. */
  analysed: number;
  successes: number;
  partials: number;
  failures: number;
  /** Runs that have finished (durations are over these). */
  finished: number;
  meanDurationMs: number | null;
  p90DurationMs: number | null;
  /** Per run, including analysis. */
  meanCostUsd: number;
  meanTokens: number;
  totalCostUsd: number;
  feedbackGood: number;
  feedbackBad: number;
}

export interface RoleStatsView {
  /** A built-in role, or an agent file's name. */
  role: string;
  /** The agent file it ran as (the latest path seen), null for a built-in role. */
  agentFile: string | null;
  calls: number;
  failures: number;
  retries: number;
  costUsd: number;
  meanDurationMs: number | null;
}

export interface CostSplit {
  /** runs.cost_usd (agent calls + decisions) plus analyses. */
  totalUsd: number;
  /** decisions + analyses: the orchestrator's own calls. */
  orchestratorUsd: number;
  workersUsd: number;
}

export interface Stats {
  runs: number;
  patterns: PatternStatsView[];
  roles: RoleStatsView[];
  cost: CostSplit;
}

/**
 * Per-pattern and per-role figures for the runs in scope, patterns ordered by number of runs.
 * Written for 100k-run databases: every pass reads covering indexes of migration 2 only, the
 * pattern grouping follows index order, and p90 is an offset walk down runs_duration.
 */
export function computeStats(db: Db, scope: RunScope): Stats {
  const w = scopeWhere(scope);
  const patterns = (
    db
      .prepare(
        `SELECT r.pattern AS pattern, count(*) AS runs, count(a.outcome) AS analysed,
           coalesce(sum(a.outcome = 'success'), 0) AS successes, coalesce(sum(a.outcome = 'partial'), 0) AS partials,
           coalesce(sum(a.outcome = 'failure'), 0) AS failures,
           count(r.finished_at) AS finished, avg(r.finished_at - r.started_at) AS meanDurationMs,
           avg(r.cost_usd + coalesce(a.cost_usd, 0)) AS meanCostUsd, sum(r.cost_usd + coalesce(a.cost_usd, 0)) AS totalCostUsd,
           coalesce(sum(a.cost_usd), 0) AS analysesUsd,
           avg(r.input_tokens + r.output_tokens + r.cache_read_tokens + r.cache_write_tokens
             + coalesce(a.input_tokens + a.output_tokens + a.cache_read_tokens + a.cache_write_tokens, 0)) AS meanTokens
         FROM runs r LEFT JOIN analyses a INDEXED BY analyses_stats ON a.run_id = r.id
         WHERE ${w.sql} GROUP BY r.pattern`,
      )
      .all(...w.params) as (Omit<PatternStatsView, 'pattern' | 'p90DurationMs' | 'feedbackGood' | 'feedbackBad'> & {
      pattern: string | null;
      analysesUsd: number;
    })[]
  ).sort((x, y) => y.runs - x.runs || String(x.pattern).localeCompare(String(y.pattern)));

  // Feedback is sparse: walk it and look up each run, rather than probe for every run.
  const feedback = new Map(
    (
      db
        .prepare(
          `SELECT r.pattern AS pattern, sum(f.verdict = 'good') AS good, sum(f.verdict = 'bad') AS bad
           FROM feedback f CROSS JOIN runs r WHERE r.id = f.run_id AND ${w.sql} GROUP BY r.pattern`,
        )
        .all(...w.params) as { pattern: string | null; good: number; bad: number }[]
    ).map((f) => [f.pattern, f]),
  );

  // Nearest-rank p90: the ceil(0.9 n)-th shortest duration, i.e. n - ceil(0.9 n) rows from the longest.
  const p90 = db
    .prepare(
      `SELECT r.finished_at - r.started_at FROM runs r
       WHERE ${w.sql} AND r.pattern IS ? AND r.finished_at - r.started_at IS NOT NULL
       ORDER BY r.finished_at - r.started_at DESC LIMIT 1 OFFSET ?`,
    )
    .pluck();

  const roles = db
    .prepare(
      `SELECT c.role, max(c.agent_file) AS agentFile, count(*) AS calls, coalesce(sum(c.status = 'failed'), 0) AS failures, coalesce(sum(c.retries), 0) AS retries,
         coalesce(sum(c.cost_usd), 0) AS costUsd, avg(c.finished_at - c.started_at) AS meanDurationMs
       FROM runs r JOIN agent_calls c ON c.run_id = r.id WHERE ${w.sql} GROUP BY c.role ORDER BY calls DESC, c.role`,
    )
    .all(...w.params) as RoleStatsView[];

  const runsUsd = patterns.reduce((sum, p) => sum + p.totalCostUsd - p.analysesUsd, 0);
  const analysesUsd = patterns.reduce((sum, p) => sum + p.analysesUsd, 0);
  const agentsUsd = roles.reduce((sum, r) => sum + r.costUsd, 0);
  // runs.cost_usd is kept as its agent calls plus its decisions (the lifecycle's invariant), so
  // the decisions' share needs no pass over the decisions table.
  const orchestratorUsd = Math.max(0, runsUsd - agentsUsd) + analysesUsd;
  const totalUsd = runsUsd + analysesUsd;

  return {
    runs: patterns.reduce((n, p) => n + p.runs, 0),
    patterns: patterns.map(({ analysesUsd: _, ...p }) => ({
      ...p,
      pattern: p.pattern ?? '(none)',
      p90DurationMs: p.finished ? (p90.get(...w.params, p.pattern, p.finished - Math.ceil(0.9 * p.finished)) as number) : null,
      feedbackGood: feedback.get(p.pattern)?.good ?? 0,
      feedbackBad: feedback.get(p.pattern)?.bad ?? 0,
    })),
    roles,
    cost: { totalUsd, orchestratorUsd, workersUsd: totalUsd - orchestratorUsd },
  };
}

/** Per-pattern and per-role figures behind `baton stats` and the report. */
import type { Db } from '../db.js';
import { STATS_DAY_MS } from '../stats-daily.js';
import { scopeWhere, type RunFilter, type RunScope } from './scope.js';

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

/** Additive figures of one pattern, from which the means are derived. */
export interface PatternSums {
  pattern: string | null;
  runs: number;
  finished: number;
  durationMs: number;
  costUsd: number;
  analysisCostUsd: number;
  tokens: number;
  analysed: number;
  successes: number;
  partials: number;
  failures: number;
  feedbackGood: number;
  feedbackBad: number;
}

export interface RoleSums {
  role: string;
  calls: number;
  failures: number;
  retries: number;
  costUsd: number;
  durationMs: number;
  timed: number;
}

/**
 * Per-pattern and per-role figures for the runs in scope, patterns ordered by number of runs.
 * Written for 100k-run databases: whole days come from the per-day aggregates of migration 8
 * (stats_daily, role_stats_daily: a few rows per project and day), and only the part of the
 * first day a `since` cuts into is read from the runs themselves; p90 is an offset walk down
 * the runs_duration index of migration 2.
 */
export function computeStats(db: Db, scope: RunScope): Stats {
  const w = scopeWhere(scope);
  const boundary = scope.since === undefined ? undefined : Math.ceil(scope.since / STATS_DAY_MS) * STATS_DAY_MS;
  const partial = boundary !== undefined && boundary > scope.since! ? { ...scope, before: boundary } : undefined;
  const patternSums = mergeBy([...dailyPatternSums(db, scope.project, boundary), ...(partial ? rawPatternSums(db, partial) : [])], (p) =>
    String(p.pattern),
  ).filter((p) => p.runs > 0);
  const roleSums = mergeBy([...dailyRoleSums(db, scope.project, boundary), ...(partial ? rawRoleSums(db, partial) : [])], (r) => r.role).filter(
    (r) => r.calls > 0,
  );

  // Nearest-rank p90: the ceil(0.9 n)-th shortest duration, i.e. n - ceil(0.9 n) rows from the longest.
  const p90 = db
    .prepare(
      `SELECT r.finished_at - r.started_at FROM runs r
       WHERE ${w.sql} AND r.pattern IS ? AND r.finished_at - r.started_at IS NOT NULL
       ORDER BY r.finished_at - r.started_at DESC LIMIT 1 OFFSET ?`,
    )
    .pluck();

  // Which roles ran as agent files (a partial index keeps this cheap on a large history).
  const agentFiles = new Map(
    (
      db.prepare('SELECT role, max(agent_file) AS agentFile FROM agent_calls WHERE agent_file IS NOT NULL GROUP BY role').all() as {
        role: string;
        agentFile: string;
      }[]
    ).map((r) => [r.role, r.agentFile]),
  );
  const patterns = patternSums
    .sort((x, y) => y.runs - x.runs || String(x.pattern).localeCompare(String(y.pattern)))
    .map((p) => ({
      pattern: p.pattern ?? '(none)',
      runs: p.runs,
      analysed: p.analysed,
      successes: p.successes,
      partials: p.partials,
      failures: p.failures,
      finished: p.finished,
      meanDurationMs: p.finished ? p.durationMs / p.finished : null,
      p90DurationMs: p.finished ? (p90.get(...w.params, p.pattern, p.finished - Math.ceil(0.9 * p.finished)) as number) : null,
      meanCostUsd: p.costUsd / p.runs,
      meanTokens: p.tokens / p.runs,
      totalCostUsd: p.costUsd,
      feedbackGood: p.feedbackGood,
      feedbackBad: p.feedbackBad,
    }));
  const roles = roleSums
    .sort((x, y) => y.calls - x.calls || x.role.localeCompare(y.role))
    .map((r) => ({
      role: r.role,
      agentFile: agentFiles.get(r.role) ?? null,
      calls: r.calls,
      failures: r.failures,
      retries: r.retries,
      costUsd: r.costUsd,
      meanDurationMs: r.timed ? r.durationMs / r.timed : null,
    }));

  const analysesUsd = patternSums.reduce((sum, p) => sum + p.analysisCostUsd, 0);
  const runsUsd = patternSums.reduce((sum, p) => sum + p.costUsd, 0) - analysesUsd;
  const agentsUsd = roles.reduce((sum, r) => sum + r.costUsd, 0);
  // runs.cost_usd is kept as its agent calls plus its decisions (the lifecycle's invariant), so
  // the decisions' share needs no pass over the decisions table.
  const orchestratorUsd = Math.max(0, runsUsd - agentsUsd) + analysesUsd;
  const totalUsd = runsUsd + analysesUsd;

  return {
    runs: patterns.reduce((n, p) => n + p.runs, 0),
    patterns,
    roles,
    cost: { totalUsd, orchestratorUsd, workersUsd: totalUsd - orchestratorUsd },
  };
}

/** Rows with the same key added up field by field. */
function mergeBy<T extends object>(rows: T[], key: (row: T) => string): T[] {
  const out = new Map<string, T>();
  for (const row of rows) {
    const seen = out.get(key(row));
    if (!seen) {
      out.set(key(row), { ...row });
      continue;
    }
    for (const [k, v] of Object.entries(row)) if (typeof v === 'number') (seen as Record<string, number>)[k]! += v;
  }
  return [...out.values()];
}

/** Whole days from `from` on (every day when undefined), from the aggregates. */
export function dailyPatternSums(db: Db, project: string | undefined, from?: number): PatternSums[] {
  const where = [...(project === undefined ? [] : ['project = ?']), ...(from === undefined ? [] : ['day >= ?'])];
  return db
    .prepare(
      `SELECT nullif(pattern, '') AS pattern, sum(runs) AS runs, sum(finished) AS finished, sum(duration_ms) AS durationMs,
         sum(cost_usd) AS costUsd, sum(analysis_cost_usd) AS analysisCostUsd, sum(tokens) AS tokens, sum(analysed) AS analysed,
         sum(successes) AS successes, sum(partials) AS partials, sum(failures) AS failures,
         sum(feedback_good) AS feedbackGood, sum(feedback_bad) AS feedbackBad
       FROM stats_daily ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY pattern`,
    )
    .all(...(project === undefined ? [] : [project]), ...(from === undefined ? [] : [from])) as PatternSums[];
}

export function dailyRoleSums(db: Db, project: string | undefined, from?: number): RoleSums[] {
  const where = [...(project === undefined ? [] : ['project = ?']), ...(from === undefined ? [] : ['day >= ?'])];
  return db
    .prepare(
      `SELECT role, sum(calls) AS calls, sum(failures) AS failures, sum(retries) AS retries, sum(cost_usd) AS costUsd,
         sum(duration_ms) AS durationMs, sum(timed) AS timed
       FROM role_stats_daily ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY role`,
    )
    .all(...(project === undefined ? [] : [project]), ...(from === undefined ? [] : [from])) as RoleSums[];
}

/** The same figures read from the runs themselves (the part of a day a `since` cuts into; and the aggregates' check). */
export function rawPatternSums(db: Db, scope: RunFilter): PatternSums[] {
  const w = scopeWhere(scope);
  return db
    .prepare(
      `SELECT r.pattern AS pattern, count(*) AS runs, count(r.finished_at) AS finished,
         coalesce(sum(r.finished_at - r.started_at), 0) AS durationMs,
         sum(r.cost_usd + coalesce(a.cost_usd, 0)) AS costUsd, coalesce(sum(a.cost_usd), 0) AS analysisCostUsd,
         sum(r.input_tokens + r.output_tokens + r.cache_read_tokens + r.cache_write_tokens
           + coalesce(a.input_tokens + a.output_tokens + a.cache_read_tokens + a.cache_write_tokens, 0)) AS tokens,
         count(a.outcome) AS analysed, coalesce(sum(a.outcome = 'success'), 0) AS successes,
         coalesce(sum(a.outcome = 'partial'), 0) AS partials, coalesce(sum(a.outcome = 'failure'), 0) AS failures,
         coalesce(sum((SELECT count(*) FROM feedback f WHERE f.run_id = r.id AND f.verdict = 'good')), 0) AS feedbackGood,
         coalesce(sum((SELECT count(*) FROM feedback f WHERE f.run_id = r.id AND f.verdict = 'bad')), 0) AS feedbackBad
       FROM runs r LEFT JOIN analyses a ON a.run_id = r.id WHERE ${w.sql} GROUP BY r.pattern`,
    )
    .all(...w.params) as PatternSums[];
}

export function rawRoleSums(db: Db, scope: RunFilter): RoleSums[] {
  const w = scopeWhere(scope);
  return db
    .prepare(
      `SELECT c.role, count(*) AS calls, coalesce(sum(c.status = 'failed'), 0) AS failures, coalesce(sum(c.retries), 0) AS retries,
         coalesce(sum(c.cost_usd), 0) AS costUsd, coalesce(sum(c.finished_at - c.started_at), 0) AS durationMs,
         count(c.finished_at - c.started_at) AS timed
       FROM runs r JOIN agent_calls c ON c.run_id = r.id WHERE ${w.sql} GROUP BY c.role`,
    )
    .all(...w.params) as RoleSums[];
}

/**
 * The triggers and the backfill of migration 8 (stats_daily, role_stats_daily): what `baton stats`
 * reads instead of scanning every run, agent call and feedback row (100k runs: ~1.4 s down to a
 * few ms). This text is part of a shipped migration: change it only through a new migration.
 *
 * Every contribution is added with a sign, so one expression serves insert (+1), delete (-1) and
 * update (-1 for the old row, +1 for the new). A run contributes its own figures plus its
 * analysis and feedback, so when a run's key changes (its pattern is set after the decision) the
 * whole of it moves.
 */

const DAY_MS = 86_400_000;
export const STATS_DAY_MS = DAY_MS;

const day = (startedAt: string) => `(${startedAt} - ${startedAt} % ${DAY_MS})`;

/** An upsert adding `cols` (values as SQL over `from`) into `table` under `key`. (The WHERE keeps SQLite from reading ON CONFLICT as a join's ON.) */
function upsert(table: string, key: string[], cols: Record<string, string>, from: string, where = 'true'): string {
  const names = Object.keys(cols);
  const keyNames = table === 'stats_daily' ? ['project', 'pattern', 'day'] : ['project', 'day', 'role'];
  return `INSERT INTO ${table} (${[...keyNames, ...names].join(', ')})
    SELECT ${[...key, ...names.map((n) => cols[n])].join(', ')} ${from} WHERE ${where}
    ON CONFLICT DO UPDATE SET ${names.map((n) => `${n} = ${n} + excluded.${n}`).join(', ')};`;
}

const tokens = (t: string) => `(${t}.input_tokens + ${t}.output_tokens + ${t}.cache_read_tokens + ${t}.cache_write_tokens)`;

/** A run's whole contribution (its row `r`, its analysis, its feedback) times `sign`. */
function runContribution(r: 'new' | 'old', sign: 1 | -1): string {
  const s = (expr: string) => (sign === 1 ? `(${expr})` : `-(${expr})`);
  return upsert(
    'stats_daily',
    [`${r}.project`, `coalesce(${r}.pattern, '')`, day(`${r}.started_at`)],
    {
      runs: s('1'),
      finished: s(`${r}.finished_at IS NOT NULL`),
      duration_ms: s(`coalesce(${r}.finished_at - ${r}.started_at, 0)`),
      cost_usd: s(`${r}.cost_usd + coalesce(a.cost_usd, 0)`),
      analysis_cost_usd: s('coalesce(a.cost_usd, 0)'),
      tokens: s(`${tokens(r)} + coalesce(${tokens('a')}, 0)`),
      analysed: s('a.outcome IS NOT NULL'),
      successes: s("coalesce(a.outcome = 'success', 0)"),
      partials: s("coalesce(a.outcome = 'partial', 0)"),
      failures: s("coalesce(a.outcome = 'failure', 0)"),
      feedback_good: s(`(SELECT count(*) FROM feedback f WHERE f.run_id = ${r}.id AND f.verdict = 'good')`),
      feedback_bad: s(`(SELECT count(*) FROM feedback f WHERE f.run_id = ${r}.id AND f.verdict = 'bad')`),
    },
    `FROM (SELECT 1) LEFT JOIN analyses a ON a.run_id = ${r}.id`,
  );
}

/** An analysis row's share (`a` is new or old) at its run's key, if the run still exists. */
function analysisContribution(a: 'new' | 'old', sign: 1 | -1): string {
  const s = (expr: string) => (sign === 1 ? `(${expr})` : `-(${expr})`);
  return upsert(
    'stats_daily',
    ['r.project', "coalesce(r.pattern, '')", day('r.started_at')],
    {
      cost_usd: s(`${a}.cost_usd`),
      analysis_cost_usd: s(`${a}.cost_usd`),
      tokens: s(tokens(a)),
      analysed: s('1'),
      successes: s(`${a}.outcome = 'success'`),
      partials: s(`${a}.outcome = 'partial'`),
      failures: s(`${a}.outcome = 'failure'`),
    },
    'FROM runs r',
    `r.id = ${a}.run_id`,
  );
}

function feedbackContribution(f: 'new' | 'old', sign: 1 | -1): string {
  const s = (expr: string) => (sign === 1 ? `(${expr})` : `-(${expr})`);
  return upsert(
    'stats_daily',
    ['r.project', "coalesce(r.pattern, '')", day('r.started_at')],
    { feedback_good: s(`${f}.verdict = 'good'`), feedback_bad: s(`${f}.verdict = 'bad'`) },
    'FROM runs r',
    `r.id = ${f}.run_id`,
  );
}

function callContribution(c: 'new' | 'old', sign: 1 | -1): string {
  const s = (expr: string) => (sign === 1 ? `(${expr})` : `-(${expr})`);
  return upsert(
    'role_stats_daily',
    ['r.project', day('r.started_at'), `${c}.role`],
    {
      calls: s('1'),
      failures: s(`${c}.status = 'failed'`),
      retries: s(`${c}.retries`),
      cost_usd: s(`${c}.cost_usd`),
      duration_ms: s(`coalesce(${c}.finished_at - ${c}.started_at, 0)`),
      timed: s(`${c}.finished_at - ${c}.started_at IS NOT NULL`),
    },
    'FROM runs r',
    `r.id = ${c}.run_id`,
  );
}

/** All of a run's agent calls, moved (sign -1 at the old key, +1 at the new). */
function runCallsContribution(r: 'new' | 'old', sign: 1 | -1): string {
  const s = (expr: string) => (sign === 1 ? `(${expr})` : `-(${expr})`);
  return `INSERT INTO role_stats_daily (project, day, role, calls, failures, retries, cost_usd, duration_ms, timed)
    SELECT ${r}.project, ${day(`${r}.started_at`)}, c.role, ${s('count(*)')}, ${s("sum(c.status = 'failed')")}, ${s('sum(c.retries)')},
      ${s('sum(c.cost_usd)')}, ${s('coalesce(sum(c.finished_at - c.started_at), 0)')}, ${s('count(c.finished_at - c.started_at)')}
    FROM agent_calls c WHERE c.run_id = ${r}.id GROUP BY c.role
    ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, failures = failures + excluded.failures, retries = retries + excluded.retries,
      cost_usd = cost_usd + excluded.cost_usd, duration_ms = duration_ms + excluded.duration_ms, timed = timed + excluded.timed;`;
}

const RUN_COLUMNS = 'project, pattern, started_at, finished_at, cost_usd, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens';
const ANALYSIS_COLUMNS = 'run_id, outcome, cost_usd, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens';
const CALL_COLUMNS = 'run_id, role, status, retries, cost_usd, started_at, finished_at';

/**
 * Insert, update and delete triggers of a table whose rows each add one contribution (an update
 * takes the old one back and adds the new).
 */
function rowTriggers(table: string, columns: string, contribution: (r: 'new' | 'old', sign: 1 | -1) => string): string {
  return `  CREATE TRIGGER ${table}_stats_ins AFTER INSERT ON ${table} BEGIN
    ${contribution('new', 1)}
  END;
  CREATE TRIGGER ${table}_stats_upd AFTER UPDATE OF ${columns} ON ${table} BEGIN
    ${contribution('old', -1)}
    ${contribution('new', 1)}
  END;
  CREATE TRIGGER ${table}_stats_del AFTER DELETE ON ${table} BEGIN
    ${contribution('old', -1)}
  END;`;
}

/** The triggers that keep the aggregates current. */
const triggersSql = `
  CREATE TRIGGER runs_stats_ins AFTER INSERT ON runs BEGIN
    ${runContribution('new', 1)}
  END;
  CREATE TRIGGER runs_stats_upd AFTER UPDATE OF ${RUN_COLUMNS} ON runs BEGIN
    ${runContribution('old', -1)}
    ${runContribution('new', 1)}
  END;
  CREATE TRIGGER runs_stats_move_calls AFTER UPDATE OF project, started_at ON runs
    WHEN old.project IS NOT new.project OR ${day('old.started_at')} IS NOT ${day('new.started_at')} BEGIN
    ${runCallsContribution('old', -1)}
    ${runCallsContribution('new', 1)}
  END;
  CREATE TRIGGER runs_stats_del BEFORE DELETE ON runs BEGIN
    ${runContribution('old', -1)}
    ${runCallsContribution('old', -1)}
  END;
${rowTriggers('analyses', ANALYSIS_COLUMNS, analysisContribution)}
${rowTriggers('feedback', 'run_id, verdict', feedbackContribution)}
${rowTriggers('agent_calls', CALL_COLUMNS, callContribution)}
`;

/**
 * The aggregates built from the rows already recorded (into empty tables). The benchmark's
 * generator runs it too, after a bulk load with the triggers lifted: the same figures a real
 * database gets when it migrates.
 */
export const statsDailyBackfillSql = `
  INSERT INTO stats_daily (project, pattern, day, runs, finished, duration_ms, cost_usd, analysis_cost_usd, tokens,
      analysed, successes, partials, failures, feedback_good, feedback_bad)
    SELECT r.project, coalesce(r.pattern, ''), ${day('r.started_at')}, count(*), count(r.finished_at),
      coalesce(sum(r.finished_at - r.started_at), 0), sum(r.cost_usd + coalesce(a.cost_usd, 0)), coalesce(sum(a.cost_usd), 0),
      sum(${tokens('r')} + coalesce(${tokens('a')}, 0)), count(a.outcome), coalesce(sum(a.outcome = 'success'), 0),
      coalesce(sum(a.outcome = 'partial'), 0), coalesce(sum(a.outcome = 'failure'), 0),
      coalesce(sum((SELECT count(*) FROM feedback f WHERE f.run_id = r.id AND f.verdict = 'good')), 0),
      coalesce(sum((SELECT count(*) FROM feedback f WHERE f.run_id = r.id AND f.verdict = 'bad')), 0)
    FROM runs r LEFT JOIN analyses a ON a.run_id = r.id GROUP BY 1, 2, 3;
  INSERT INTO role_stats_daily (project, day, role, calls, failures, retries, cost_usd, duration_ms, timed)
    SELECT r.project, ${day('r.started_at')}, c.role, count(*), sum(c.status = 'failed'), sum(c.retries), sum(c.cost_usd),
      coalesce(sum(c.finished_at - c.started_at), 0), count(c.finished_at - c.started_at)
    FROM agent_calls c JOIN runs r ON r.id = c.run_id GROUP BY 1, 2, 3;
`;

/** Migration 8's triggers and backfill (one text: the migration as shipped). */
export const statsDailySql = `${triggersSql}${statsDailyBackfillSql}`;

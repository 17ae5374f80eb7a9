/**
 * Read queries behind the review commands (history, show, stats, search, report) and the
 * retention delete behind `baton gc`. Plain SQL and row types only: stored JSON is returned as
 * text and parsed by the caller that displays it, so these queries never load zod.
 */
import { UserError } from '../core/errors.js';
import type { RunStatus } from '../core/events.js';
import type { Db } from './db.js';
import { rowsByIdPrefix } from './prefix.js';

/** Which runs a query looks at. `project` undefined means every project. */
export interface RunScope {
  project?: string | undefined;
  /** Epoch ms: only runs started at or after this. */
  since?: number | undefined;
}

export interface RunFilter extends RunScope {
  status?: RunStatus | undefined;
  pattern?: string | undefined;
  threadId?: string | undefined;
  /** Epoch ms: only runs started before this (gc's candidates). */
  before?: number | undefined;
  /** Leave out `running` runs (a live process may own them). */
  notRunning?: boolean | undefined;
  limit?: number | undefined;
}

/** Tokens in the API's four buckets, and their cost in US dollars. */
export interface Spend {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
}

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

/** SQL conditions (ANDed, `1` when none) and their parameters for a filter on runs aliased `alias`. */
function scopeWhere(scope: RunFilter, alias = 'r'): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    clauses.push(clause.replaceAll('$', alias));
    params.push(value);
  };
  if (scope.project !== undefined) add('$.project = ?', scope.project);
  if (scope.since !== undefined) add('$.started_at >= ?', scope.since);
  if (scope.status !== undefined) add('$.status = ?', scope.status);
  if (scope.pattern !== undefined) add('$.pattern = ?', scope.pattern);
  if (scope.threadId !== undefined) add('$.thread_id = ?', scope.threadId);
  if (scope.before !== undefined) add('$.started_at < ?', scope.before);
  if (scope.notRunning) add('$.status <> ?', 'running');
  return { sql: clauses.length ? clauses.join(' AND ') : '1', params };
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
  return db
    .prepare(`SELECT ${summaryColumns} FROM runs r LEFT JOIN analyses a ON a.run_id = r.id WHERE r.id = ?`)
    .get(runId) as RunSummary | undefined;
}

/** The newest run of a project (of every project when undefined), for `baton show` without an id. */
export function latestRunId(db: Db, project: string | undefined): string | undefined {
  const where = scopeWhere({ project });
  const row = db.prepare(`SELECT r.id FROM runs r WHERE ${where.sql} ORDER BY r.started_at DESC, r.id DESC LIMIT 1`).get(...where.params) as
    | { id: string }
    | undefined;
  return row?.id;
}

// ---------------------------------------------------------------- ids

export type ResolvedId = { kind: 'run'; id: string } | { kind: 'thread'; id: string };

/**
 * Resolves a run or thread id given in full or by a unique prefix. Ids are time-sortable text
 * keys, so a prefix is a primary-key range scan. Throws a one-line UserError when nothing or
 * more than one thing matches.
 */
export function resolveId(db: Db, given: string): ResolvedId {
  const prefix = given.trim();
  if (!prefix) throw new UserError('give a run or thread id (or a unique prefix of one)');
  const matches: ResolvedId[] = [];
  for (const [kind, table] of [
    ['run', 'runs'],
    ['thread', 'threads'],
  ] as const) {
    const rows = rowsByIdPrefix<{ id: string }>(db, table, prefix, 6);
    const exact = rows.find((r) => r.id === prefix);
    if (exact) return { kind, id: exact.id };
    for (const r of rows) matches.push({ kind, id: r.id });
  }
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new UserError(`no run or thread id starts with "${prefix}"; see \`baton history\` for run ids`);
  }
  const shown = matches.slice(0, 3).map((m) => m.id);
  const more = matches.length > 3 ? ' and more' : '';
  throw new UserError(`"${prefix}" is ambiguous: it starts ${shown.join(', ')}${more}; type more characters`);
}

/** The shortest prefix of each run id (at least `min` characters) that no other run shares, like git's short hashes. */
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

// ---------------------------------------------------------------- one run in full

export interface DecisionRow extends Spend {
  id: string;
  seq: number;
  kind: 'initial' | 'revision' | 'fallback';
  pattern: string;
  decisionJson: string;
  reasoning: string;
  confidence: number | null;
  fallbackCause: string | null;
  model: string | null;
  durationMs: number;
  createdAt: number;
}

export interface AgentCallRow extends Spend {
  id: string;
  decisionId: string | null;
  role: string;
  label: string | null;
  model: string;
  instructions: string;
  status: string;
  turns: number;
  retries: number;
  result: string | null;
  error: string | null;
  /** Each turn's stop reason, comma-separated. */
  stopReasons: string;
  /** The stored conversation (thinking is shown from it). */
  messagesJson: string | null;
  startedAt: number;
  finishedAt: number | null;
}

export interface ToolCallRow {
  id: string;
  agentCallId: string;
  name: string;
  inputJson: string;
  status: string;
  permission: string | null;
  output: string | null;
  isError: number;
  durationMs: number | null;
  startedAt: number;
  finishedAt: number | null;
}

export interface QuestionRow {
  id: string;
  agentCallId: string | null;
  question: string;
  optionsJson: string | null;
  answer: string | null;
  askedAt: number;
  answeredAt: number | null;
}

export interface PlanStepRow {
  idx: number;
  title: string;
  instructions: string;
  paramsJson: string;
  status: string;
  agentCallId: string | null;
  output: string | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface AnalysisRow extends Spend {
  outcome: string;
  summary: string;
  signalsJson: string;
  model: string | null;
  createdAt: number;
}

export interface LessonRow {
  id: number;
  pattern: string | null;
  text: string;
  weight: number;
  uses: number;
  runId: string | null;
  createdAt: number;
}

export interface FeedbackRow {
  verdict: 'good' | 'bad';
  note: string | null;
  createdAt: number;
}

export interface RunRecord {
  summary: RunSummary;
  model: string;
  orchestratorModel: string | null;
  permissionMode: string;
  result: string | null;
  decisions: DecisionRow[];
  agentCalls: AgentCallRow[];
  toolCalls: ToolCallRow[];
  questions: QuestionRow[];
  planSteps: PlanStepRow[];
  analysis: AnalysisRow | undefined;
  lessonsProduced: LessonRow[];
  lessonsUsed: LessonRow[];
  feedback: FeedbackRow[];
}

const tokenColumns = `input_tokens AS inputTokens, output_tokens AS outputTokens,
  cache_read_tokens AS cacheReadTokens, cache_write_tokens AS cacheWriteTokens, cost_usd AS costUsd`;
const lessonColumns = 'l.id, l.pattern, l.text, l.weight, l.uses, l.run_id AS runId, l.created_at AS createdAt';

/** Everything recorded about one run: its OrchestrationContext, outcome, lessons and feedback. */
export function getRunRecord(db: Db, runId: string): RunRecord | undefined {
  const summary = getRunSummary(db, runId);
  if (!summary) return undefined;
  const run = db
    .prepare('SELECT model, orchestrator_model AS orchestratorModel, permission_mode AS permissionMode, result FROM runs WHERE id = ?')
    .get(runId) as Pick<RunRecord, 'model' | 'orchestratorModel' | 'permissionMode' | 'result'>;
  const all = <T>(sql: string) => db.prepare(sql).all(runId) as T[];
  return {
    summary,
    ...run,
    decisions: all<DecisionRow>(
      `SELECT id, seq, kind, pattern, decision_json AS decisionJson, reasoning, confidence, fallback_cause AS fallbackCause,
         model, ${tokenColumns}, duration_ms AS durationMs, created_at AS createdAt
       FROM decisions WHERE run_id = ? ORDER BY seq`,
    ),
    agentCalls: all<AgentCallRow>(
      `SELECT id, decision_id AS decisionId, role, label, model, instructions, status, turns, retries, result, error,
         stop_reasons AS stopReasons, messages_json AS messagesJson, ${tokenColumns}, started_at AS startedAt, finished_at AS finishedAt
       FROM agent_calls WHERE run_id = ? ORDER BY started_at, id`,
    ),
    toolCalls: all<ToolCallRow>(
      `SELECT id, agent_call_id AS agentCallId, name, input_json AS inputJson, status, permission, output, is_error AS isError,
         duration_ms AS durationMs, started_at AS startedAt, finished_at AS finishedAt
       FROM tool_calls WHERE run_id = ? ORDER BY started_at, rowid`,
    ),
    questions: all<QuestionRow>(
      `SELECT id, agent_call_id AS agentCallId, question, options_json AS optionsJson, answer, asked_at AS askedAt,
         answered_at AS answeredAt
       FROM questions WHERE run_id = ? ORDER BY asked_at, id`,
    ),
    planSteps: all<PlanStepRow>(
      `SELECT idx, title, instructions, params_json AS paramsJson, status, agent_call_id AS agentCallId, output,
         started_at AS startedAt, finished_at AS finishedAt
       FROM plan_steps WHERE run_id = ? ORDER BY idx`,
    ),
    analysis: db
      .prepare(
        `SELECT outcome, summary, signals_json AS signalsJson, model, ${tokenColumns}, created_at AS createdAt
         FROM analyses WHERE run_id = ?`,
      )
      .get(runId) as AnalysisRow | undefined,
    lessonsProduced: all<LessonRow>(`SELECT ${lessonColumns} FROM lessons l WHERE l.run_id = ? ORDER BY l.id`),
    lessonsUsed: all<LessonRow>(
      `SELECT ${lessonColumns} FROM lesson_uses u JOIN lessons l ON l.id = u.lesson_id WHERE u.run_id = ? ORDER BY l.id`,
    ),
    feedback: all<FeedbackRow>('SELECT verdict, note, created_at AS createdAt FROM feedback WHERE run_id = ? ORDER BY created_at, id'),
  };
}

export interface ThreadRow {
  id: string;
  project: string;
  title: string;
  summary: string | null;
  createdAt: number;
  updatedAt: number;
}

export function getThread(db: Db, threadId: string): ThreadRow | undefined {
  return db
    .prepare('SELECT id, project, title, summary, created_at AS createdAt, updated_at AS updatedAt FROM threads WHERE id = ?')
    .get(threadId) as ThreadRow | undefined;
}

// ---------------------------------------------------------------- how much is recorded

/** Whether any run is recorded in the project and in the whole database: tells "empty database" from "nothing here". */
export function hasRuns(db: Db, project?: string): { here: boolean; anywhere: boolean } {
  const anywhere = db.prepare('SELECT EXISTS (SELECT 1 FROM runs)').pluck().get() === 1;
  if (project === undefined || !anywhere) return { here: anywhere, anywhere };
  return { here: db.prepare('SELECT EXISTS (SELECT 1 FROM runs WHERE project = ?)').pluck().get(project) === 1, anywhere };
}

// ---------------------------------------------------------------- statistics

export interface PatternStatsRow {
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

export interface RoleStatsRow {
  role: string;
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
  patterns: PatternStatsRow[];
  roles: RoleStatsRow[];
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
      .all(...w.params) as (Omit<PatternStatsRow, 'pattern' | 'p90DurationMs' | 'feedbackGood' | 'feedbackBad'> & {
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
      `SELECT c.role, count(*) AS calls, coalesce(sum(c.status = 'failed'), 0) AS failures, coalesce(sum(c.retries), 0) AS retries,
         coalesce(sum(c.cost_usd), 0) AS costUsd, avg(c.finished_at - c.started_at) AS meanDurationMs
       FROM runs r JOIN agent_calls c ON c.run_id = r.id WHERE ${w.sql} GROUP BY c.role ORDER BY calls DESC, c.role`,
    )
    .all(...w.params) as RoleStatsRow[];

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

// ---------------------------------------------------------------- full-text search

export interface SearchHit {
  kind: 'prompt' | 'reasoning' | 'analysis' | 'lesson';
  /** The run the text belongs to; for a lesson, the run that wrote it (null if that run is gone). */
  runId: string | null;
  lessonId: number | null;
  project: string;
  /** The matching text, shortened around the match; matches are wrapped in the given markers. */
  snippet: string;
  /** bm25: lower is a better match. */
  score: number;
  startedAt: number | null;
}

/**
 * Turns what a person typed into an FTS5 query that cannot be a syntax error: every word becomes
 * a quoted string (embedded quotes doubled), words are ANDed, and a trailing `*` keeps prefix search.
 * Returns undefined when nothing searchable is left.
 */
export function ftsQuery(text: string): string | undefined {
  const terms = text
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .map((w) => {
      const prefix = w.endsWith('*');
      const word = prefix ? w.replace(/\*+$/, '') : w;
      return `"${word.replaceAll('"', '""')}"${prefix ? '*' : ''}`;
    });
  return terms.length ? terms.join(' ') : undefined;
}

export function searchText(
  db: Db,
  text: string,
  opts: { project?: string | undefined; limit: number; open: string; close: string },
): SearchHit[] {
  const match = ftsQuery(text);
  if (!match) throw new UserError(`nothing to search for in "${text}"; give one or more words`);
  const projectClause = opts.project === undefined ? '' : 'AND d.project = ?';
  // Rank first, then make snippets for the few rows shown: snippet() is the expensive part.
  const top = db
    .prepare(
      `SELECT s.rowid AS rowid, d.kind, d.ref, d.project, s.rank AS score
       FROM search_index s JOIN search_docs d ON d.id = s.rowid
       WHERE search_index MATCH ? ${projectClause} ORDER BY s.rank, s.rowid DESC LIMIT ?`,
    )
    .all(match, ...(opts.project === undefined ? [] : [opts.project]), opts.limit) as {
    rowid: number;
    kind: SearchHit['kind'];
    ref: string;
    project: string;
    score: number;
  }[];
  const snippetOf = db
    .prepare(`SELECT snippet(search_index, 0, ?, ?, '…', 14) FROM search_index WHERE search_index MATCH ? AND rowid = ?`)
    .pluck();
  const lessonRun = db.prepare('SELECT l.run_id FROM lessons l WHERE l.id = ?').pluck();
  const runStart = db.prepare('SELECT started_at FROM runs WHERE id = ?').pluck();
  return top.map((t) => {
    const lessonId = t.kind === 'lesson' ? Number(t.ref.slice('lesson:'.length)) : null;
    const runId = lessonId === null ? t.ref : ((lessonRun.get(lessonId) as string | null | undefined) ?? null);
    return {
      kind: t.kind,
      runId,
      lessonId,
      project: t.project,
      // A BigInt binds as INTEGER; FTS5 ignores a rowid constraint bound as a REAL (what a JS number binds as).
      snippet: String(snippetOf.get(opts.open, opts.close, match, BigInt(t.rowid)) ?? ''),
      score: t.score,
      startedAt: runId === null ? null : ((runStart.get(runId) as number | undefined) ?? null),
    };
  });
}

// ---------------------------------------------------------------- report data

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

// ---------------------------------------------------------------- retention

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
      const lessons = scope.lessons
        ? db.prepare('DELETE FROM lessons WHERE run_id IN (SELECT id FROM gc_runs)').run().changes
        : 0;
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

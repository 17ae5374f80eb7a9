/**
 * Fills a baton database with a realistic history for the review benchmarks: by default 100k runs
 * and about 1M tool calls (~1.3 decisions, ~2.5 agent calls and ~10 tool calls per run, analyses
 * for most runs, some feedback, ~20k lessons), spread over a year and five projects, the first of
 * which gets most runs. Deterministic (seeded), one transaction, prepared statements.
 *
 *   node .bench/bench/gen-db.js <file> [runs] [project]
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, SCHEMA_VERSION } from '../src/store/db.js';
import { statsDailyBackfillSql } from '../src/store/stats-daily.js';
import { prng } from '../test/support/prng.js';

/** Bump when the generated data changes shape, so cached databases are rebuilt. */
export const GENERATOR_VERSION = 1;

export interface GenOptions {
  path: string;
  runs: number;
  /** The project most runs belong to (the benchmark runs baton from there). */
  project: string;
  seed?: number;
  now?: number;
}

export interface GenCounts {
  runs: number;
  threads: number;
  decisions: number;
  agentCalls: number;
  toolCalls: number;
  lessons: number;
  analyses: number;
  feedback: number;
}

const VERBS = ['add', 'fix', 'refactor', 'explain', 'rename', 'remove', 'document', 'speed up', 'test', 'migrate', 'investigate', 'update'];
const OBJECTS = [
  'the --json flag of the export command',
  'the parser error messages',
  'the cache invalidation',
  'error handling in the HTTP client',
  'the login flow',
  'pagination of the list endpoint',
  'the retry logic',
  'the config loader',
  'flaky unit tests',
  'the README install steps',
  'the CLI help text',
  'date formatting in reports',
  'the SQLite schema',
  'the webhook handler',
  'the rate limiter',
  'logging levels',
  'the build script',
  'dependency injection in services',
  'the search ranking',
  'memory use of the importer',
];
const FILES = [
  'src/parser.ts',
  'src/cache/index.ts',
  'src/http/client.ts',
  'src/auth/login.ts',
  'src/api/list.ts',
  'src/retry.ts',
  'src/config.ts',
  'test/parser.test.ts',
  'README.md',
  'src/cli/help.ts',
  'src/report/dates.ts',
  'src/db/schema.sql',
  'src/hooks/webhook.ts',
  'src/limits.ts',
  'src/log.ts',
  'scripts/build.mjs',
  'src/services/container.ts',
  'src/search/rank.ts',
  'src/import/stream.ts',
];
const SUFFIXES = ['', '', ' and make sure the tests pass', '; keep the public API unchanged', ' — why does it fail on empty input?', ' like we did last week'];
const ADVICE = [
  'run the narrow test file first, the full suite takes minutes',
  'a reviewer round catches missing edge cases cheaply',
  'one direct agent is enough, planning wasted tokens',
  'ask which output format is wanted before starting',
  'parallel explorers found the call sites faster than one',
  'the tests need the fixture database to be rebuilt',
  'edits to generated files are overwritten by the build',
];
const PATTERNS: [string, number][] = [
  ['direct', 0.45],
  ['plan-execute', 0.2],
  ['review-loop', 0.15],
  ['parallel', 0.12],
  ['clarify', 0.08],
];
const REASONS: Record<string, string> = {
  direct: 'A small, well-scoped request: one agent with the full tool set can read and edit it directly.',
  'plan-execute': 'The change spans several files and needs ordered steps; a planner splits it so each step stays small and checkable.',
  'review-loop': 'The change has checkable quality (tests exist), so a coder followed by a reviewer that runs them is worth the extra round.',
  parallel: 'The question needs several independent areas searched; parallel read-only explorers cover them faster, then one summary.',
  clarify: 'The request is ambiguous about the expected output; asking first avoids doing the wrong work.',
};
const TOOLS_BY_ROLE: Record<string, string[]> = {
  explorer: ['read_file', 'grep', 'glob', 'list_files', 'read_file'],
  coder: ['read_file', 'edit_file', 'grep', 'bash', 'edit_file', 'write_file', 'read_file'],
  reviewer: ['bash', 'read_file', 'grep', 'read_file'],
  planner: ['read_file', 'grep', 'list_files', 'glob'],
  summarizer: [],
};
/** Mean tool calls per agent call, by role; tuned so a run averages about ten. */
const TOOL_MEAN: Record<string, number> = { explorer: 3.6, coder: 5, reviewer: 2.8, planner: 3, summarizer: 0 };
const PRICE = {
  worker: { in: 3, out: 15, read: 0.3, write: 3.75 },
  orchestrator: { in: 1, out: 5, read: 0.1, write: 1.25 },
} as const;

function id(kind: string, time: number, n: number): string {
  return `${kind}_${time.toString(36).padStart(9, '0')}${n.toString(36).padStart(6, '0').slice(-6)}`;
}

export function generateDatabase(opts: GenOptions): GenCounts {
  const rnd = prng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const weighted = (xs: readonly [string, number][]): string => {
    let x = rnd();
    for (const [v, w] of xs) if ((x -= w) < 0) return v;
    return xs[xs.length - 1]![0];
  };
  const between = (lo: number, hi: number) => Math.floor(lo + rnd() * (hi - lo));
  const poissonish = (mean: number) => Math.floor(rnd() * (2 * mean + 1));

  rmSync(opts.path, { force: true });
  const db = openDatabase(opts.path);
  // Bulk load: no WAL copy and no fsync; the file is thrown away if generation fails.
  db.pragma('journal_mode = DELETE'); // WAL cannot switch to OFF directly
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  // Rows are consistent by construction (a test checks foreign_key_check on a small database).
  db.pragma('foreign_keys = OFF');
  // Triggers are slow in bulk: each FTS5 write inside one flushes a segment, and the stats_daily
  // aggregates' upserts run for every run, agent call, analysis and feedback row (~7 per run). So all
  // of them are lifted for the load: the search index is filled the same way directly, the
  // aggregates are built once at the end by the migration's own backfill (what a database that
  // migrates gets), and the triggers are restored as they were.
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid`).all() as { name: string; sql: string }[];
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  const searchDoc = db.prepare('INSERT INTO search_docs (kind, ref, project) VALUES (?, ?, ?)');
  const searchBody = db.prepare('INSERT INTO search_index (rowid, body) VALUES (?, ?)');
  const index = (kind: string, ref: string, project: string, body: string) => searchBody.run(searchDoc.run(kind, ref, project).lastInsertRowid, body);

  const projects = [opts.project, '/home/dev/work/api-server', '/home/dev/work/web-app', '/home/dev/oss/parser', '/tmp/scratch'];
  const projectWeights: [string, number][] = projects.map((p, i) => [p, [0.6, 0.2, 0.1, 0.06, 0.04][i]!]);
  const now = opts.now ?? Date.now();
  const span = 365 * 86_400_000;
  const step = span / opts.runs;

  const ins = {
    thread: db.prepare('INSERT INTO threads (id, project, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
    threadTouch: db.prepare('UPDATE threads SET updated_at = ? WHERE id = ?'),
    message: db.prepare('INSERT INTO messages (thread_id, run_id, role, content, created_at) VALUES (?, ?, ?, ?, ?)'),
    run: db.prepare(
      `INSERT INTO runs (id, thread_id, project, prompt, status, pattern, result, error, model, orchestrator_model, permission_mode,
         started_at, finished_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'claude-sonnet-5-5', 'claude-haiku-5-5', 'ask', ?, ?)`,
    ),
    runTotals: db.prepare('UPDATE runs SET input_tokens = ?, output_tokens = ?, cache_read_tokens = ?, cost_usd = ? WHERE id = ?'),
    decision: db.prepare(
      `INSERT INTO decisions (id, run_id, seq, kind, pattern, decision_json, reasoning, confidence, fallback_cause, model,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, duration_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'claude-haiku-5-5', ?, ?, ?, 0, ?, ?, ?)`,
    ),
    agent: db.prepare(
      `INSERT INTO agent_calls (id, run_id, decision_id, role, label, model, instructions, status, turns, retries, result, error,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, started_at, finished_at)
       VALUES (?, ?, ?, ?, ?, 'claude-sonnet-5-5', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    tool: db.prepare(
      `INSERT INTO tool_calls (id, agent_call_id, run_id, name, input_json, status, permission, output, is_error, duration_ms,
         started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    step: db.prepare(
      `INSERT INTO plan_steps (run_id, idx, title, instructions, status, agent_call_id, output, started_at, finished_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    question: db.prepare(
      'INSERT INTO questions (id, run_id, agent_call_id, question, options_json, answer, asked_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    analysis: db.prepare(
      `INSERT INTO analyses (run_id, outcome, summary, signals_json, model, input_tokens, output_tokens, cost_usd, created_at)
       VALUES (?, ?, ?, ?, 'claude-haiku-5-5', ?, ?, ?, ?)`,
    ),
    lesson: db.prepare('INSERT INTO lessons (project, run_id, pattern, text, weight, uses, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    lessonUse: db.prepare('INSERT OR IGNORE INTO lesson_uses (lesson_id, run_id) VALUES (?, ?)'),
    feedback: db.prepare('INSERT INTO feedback (run_id, verdict, note, created_at) VALUES (?, ?, ?, ?)'),
  };

  const counts: GenCounts = { runs: 0, threads: 0, decisions: 0, agentCalls: 0, toolCalls: 0, lessons: 0, analyses: 0, feedback: 0 };
  const currentThread = new Map<string, string>();
  const lessonsOf = new Map<string, number[]>();
  let seq = 0;

  const usage = (price: (typeof PRICE)[keyof typeof PRICE], inLo: number, inHi: number) => {
    const input = between(inLo, inHi);
    const output = between(100, 3000);
    const read = rnd() < 0.7 ? between(1000, 20_000) : 0;
    const cost = (input * price.in + output * price.out + read * price.read) / 1e6;
    return { input, output, read, cost };
  };

  db.transaction(() => {
    for (let i = 0; i < opts.runs; i++) {
      const startedAt = Math.floor(now - span + i * step + rnd() * step * 0.5);
      const project = weighted(projectWeights);
      const pattern = weighted(PATTERNS);
      const runId = id('r', startedAt, ++seq);

      let threadId = currentThread.get(project);
      if (!threadId || rnd() < 0.3) {
        threadId = id('t', startedAt, ++seq);
        currentThread.set(project, threadId);
        ins.thread.run(threadId, project, `${pick(VERBS)} ${pick(OBJECTS)}`.slice(0, 60), startedAt, startedAt);
        counts.threads++;
      } else ins.threadTouch.run(startedAt, threadId);

      const last = i >= opts.runs - 3;
      const x = rnd();
      const status = last ? 'running' : x < 0.86 ? 'completed' : x < 0.93 ? 'failed' : x < 0.96 ? 'cancelled' : x < 0.985 ? 'interrupted' : 'waiting_user';
      const object = pick(OBJECTS);
      const file = pick(FILES);
      const prompt = `${pick(VERBS)} ${object} in ${file}${pick(SUFFIXES)}`;
      const medianMs = { direct: 25_000, 'plan-execute': 240_000, 'review-loop': 180_000, parallel: 120_000, clarify: 40_000 }[pattern]!;
      const durationMs = Math.floor(medianMs * Math.exp((rnd() - 0.5) * 2));
      const finishedAt = status === 'running' || status === 'waiting_user' ? null : startedAt + durationMs;
      const result = status === 'completed' ? `Done: ${object} in ${file}. Tests pass.` : null;
      const error =
        status === 'failed' ? pick(['agent coder failed: max turns reached', 'API error 529 overloaded after 4 retries', 'bash: npm test exited 1']) : null;

      ins.run.run(runId, threadId, project, prompt, status, pattern, result, error, startedAt, finishedAt);
      index('prompt', runId, project, prompt);
      ins.message.run(threadId, runId, 'user', prompt, startedAt);
      if (result) ins.message.run(threadId, runId, 'assistant', result, finishedAt);
      counts.runs++;

      // Decisions: one initial (rarely a fallback), revisions in about a third of the multi-agent runs.
      const decisions: { id: string; cost: number; input: number; output: number; read: number }[] = [];
      const nDecisions = 1 + (pattern !== 'direct' && rnd() < 0.6 ? 1 : 0) + (rnd() < 0.02 ? 1 : 0);
      const used = (lessonsOf.get(project) ?? []).slice(-50);
      for (let d = 0; d < nDecisions; d++) {
        const kind = d === 0 ? (rnd() < 0.02 ? 'fallback' : 'initial') : 'revision';
        const dp = kind === 'fallback' ? 'direct' : pattern;
        const u = usage(PRICE.orchestrator, 2000, 8000);
        const at = startedAt + Math.floor((durationMs * d) / nDecisions);
        const lessonsUsed = used.length && d === 0 ? [pick(used), pick(used)].filter((v, k, a) => a.indexOf(v) === k) : [];
        const reasoning =
          d === 0
            ? REASONS[dp]!
            : `Revision: the previous round ${pick(['failed review', 'hit an agent error', 'got an answer from the user'])}; ${REASONS[dp]!}`;
        const agents = [{ role: dp === 'direct' ? 'coder' : 'planner', instructions: `${prompt}. Look at ${file} first.` }];
        const decisionId = id('d', at, ++seq);
        ins.decision.run(
          decisionId,
          runId,
          d + 1,
          kind,
          dp,
          JSON.stringify({ pattern: dp, agents, reasoning, expectations: `${file} updated and tests pass`, lessonsUsed, confidence: 0.5 + rnd() / 2 }),
          reasoning,
          0.5 + rnd() / 2,
          kind === 'fallback' ? 'decision was invalid after one repair' : null,
          u.input,
          u.output,
          u.read,
          u.cost,
          between(400, 3000),
          at,
        );
        index('reasoning', runId, project, reasoning);
        for (const l of lessonsUsed) ins.lessonUse.run(l, runId);
        decisions.push({ id: decisionId, cost: u.cost, input: u.input, output: u.output, read: u.read });
        counts.decisions++;
      }

      // Agent calls by pattern; ~2.5 per run on average.
      const roles: string[] =
        pattern === 'direct'
          ? ['coder']
          : pattern === 'plan-execute'
            ? ['planner', ...Array.from({ length: between(2, 6) }, () => 'coder')]
            : pattern === 'review-loop'
              ? Array.from({ length: between(1, 4) }, () => ['coder', 'reviewer']).flat()
              : pattern === 'parallel'
                ? [...Array.from({ length: between(2, 5) }, () => 'explorer'), 'summarizer']
                : ['explorer'];
      let runCost = decisions.reduce((s, d) => s + d.cost, 0);
      let inTokens = decisions.reduce((s, d) => s + d.input, 0);
      let outTokens = decisions.reduce((s, d) => s + d.output, 0);
      let readTokens = decisions.reduce((s, d) => s + d.read, 0);
      const slice = durationMs / roles.length;
      roles.forEach((role, k) => {
        const agentId = id('a', startedAt, ++seq);
        const aStart = Math.floor(startedAt + k * slice + 500);
        const aEnd = finishedAt === null && k === roles.length - 1 ? null : Math.floor(aStart + slice * 0.9);
        const failed = status === 'failed' && k === roles.length - 1;
        const aStatus = aEnd === null ? 'executing' : failed ? 'failed' : status === 'cancelled' && k === roles.length - 1 ? 'cancelled' : 'completed';
        const u = usage(PRICE.worker, 3000, 40_000);
        runCost += u.cost;
        inTokens += u.input;
        outTokens += u.output;
        readTokens += u.read;
        const nTools = role === 'summarizer' ? 0 : poissonish(TOOL_MEAN[role]!);
        ins.agent.run(
          agentId,
          runId,
          decisions[Math.min(decisions.length - 1, Math.floor((k * decisions.length) / roles.length))]!.id,
          role,
          pattern === 'plan-execute' && k > 0 ? `step ${k}` : null,
          `${pick(VERBS)} ${object}; files: ${file}`,
          aStatus,
          nTools + 1,
          rnd() < 0.06 ? between(1, 3) : 0,
          aStatus === 'completed' ? `Finished: ${object}.` : null,
          failed ? error : null,
          u.input,
          u.output,
          u.read,
          0,
          u.cost,
          aStart,
          aEnd,
        );
        counts.agentCalls++;
        if (pattern === 'plan-execute' && k > 0) {
          ins.step.run(
            runId,
            k,
            `${pick(VERBS)} ${pick(OBJECTS)}`,
            `Change ${pick(FILES)}`,
            aStatus === 'completed' ? 'completed' : aStatus === 'failed' ? 'failed' : 'running',
            agentId,
            aStatus === 'completed' ? 'ok' : null,
            aStart,
            aEnd,
          );
        }
        const tools = TOOLS_BY_ROLE[role]!;
        const tSlice = (aEnd ?? aStart + slice) - aStart;
        for (let t = 0; t < nTools; t++) {
          const name = pick(tools);
          const tStart = Math.floor(aStart + (t * tSlice) / Math.max(1, nTools));
          const isError = rnd() < 0.05;
          const dur = name === 'bash' ? between(500, 30_000) : between(2, 200);
          const input =
            name === 'bash'
              ? { command: pick(['npm test', 'npx vitest run test/parser.test.ts', 'git diff --stat', 'npm run build']) }
              : name === 'grep'
                ? { pattern: object.split(' ').at(-1), path: 'src' }
                : name === 'glob'
                  ? { pattern: '**/*.ts' }
                  : name === 'edit_file'
                    ? { path: pick(FILES), old_string: 'return x;', new_string: 'return x ?? fallback;' }
                    : name === 'write_file'
                      ? { path: pick(FILES), content: '// generated\n' }
                      : { path: pick(FILES) };
          ins.tool.run(
            `toolu_${(++seq).toString(36).padStart(8, '0')}`,
            agentId,
            runId,
            name,
            JSON.stringify(input),
            isError ? 'failed' : 'completed',
            name === 'bash' || (name.endsWith('_file') && name !== 'read_file') ? pick(['always', 'rule', 'once']) : 'auto',
            isError ? `error: ${name} failed: no such file` : `${name} ok: ${between(1, 400)} lines`,
            isError ? 1 : 0,
            dur,
            tStart,
            tStart + dur,
          );
          counts.toolCalls++;
        }
        if ((role === 'explorer' && pattern === 'clarify') || (k === 0 && rnd() < 0.02)) {
          const answered = status !== 'waiting_user';
          ins.question.run(
            id('q', aStart, ++seq),
            runId,
            agentId,
            `Which output format do you want for ${object}?`,
            JSON.stringify(['json', 'csv', 'text']),
            answered ? pick(['json', 'csv', 'text']) : null,
            aStart + 1000,
            answered ? aStart + 20_000 : null,
          );
        }
      });

      ins.runTotals.run(inTokens, outTokens, readTokens, runCost, runId);

      if (finishedAt !== null && rnd() < 0.92) {
        const y = rnd();
        const outcome =
          status === 'completed'
            ? y < 0.75
              ? 'success'
              : y < 0.93
                ? 'partial'
                : 'failure'
            : status === 'failed'
              ? y < 0.85
                ? 'failure'
                : 'partial'
              : y < 0.3
                ? 'partial'
                : 'failure';
        const u = usage(PRICE.orchestrator, 1500, 4000);
        const tests = pick(['passed', 'failed', 'not run']);
        const summary = `${outcome}: ${roles.length} agent calls for "${object}"; tests ${tests}; changed ${file}.`;
        index('analysis', runId, project, summary);
        ins.analysis.run(
          runId,
          outcome,
          summary,
          JSON.stringify({ status, tests, filesChanged: [file], agentCalls: roles.length }),
          u.input,
          u.output,
          u.cost,
          finishedAt + 2000,
        );
        counts.analyses++;
        if (rnd() < 0.24) {
          const text = `For ${object}: ${pick(ADVICE)}.`;
          const lesson = ins.lesson.run(project, runId, pattern, text, 0.5 + rnd(), between(0, 6), finishedAt + 2500);
          index('lesson', `lesson:${lesson.lastInsertRowid}`, project, text);
          const list = lessonsOf.get(project) ?? [];
          list.push(Number(lesson.lastInsertRowid));
          lessonsOf.set(project, list);
          counts.lessons++;
        }
        if (rnd() < 0.05) {
          ins.feedback.run(
            runId,
            rnd() < 0.7 ? 'good' : 'bad',
            rnd() < 0.5 ? pick(['exactly right', 'too slow', 'missed a file', 'nice']) : null,
            finishedAt + 60_000,
          );
          counts.feedback++;
        }
      }
    }
    db.exec(statsDailyBackfillSql);
  })();
  for (const t of triggers) db.exec(t.sql);
  db.pragma('foreign_keys = ON');
  // No ANALYZE: users' databases have no planner statistics either.
  db.pragma('journal_mode = WAL');
  db.close();
  return counts;
}

/**
 * The 100k-run database in `dir`, generated once and reused while the generator version, schema
 * version, size and project match (recorded in a sidecar JSON file).
 */
export function cachedBenchDb(dir: string, project: string, runs = 100_000): { path: string; counts: GenCounts; generatedMs?: number } {
  const path = join(dir, 'review-100k.db');
  const metaPath = `${path}.json`;
  const key = { generator: GENERATOR_VERSION, schema: SCHEMA_VERSION, runs, project };
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { key: typeof key; counts: GenCounts };
    if (JSON.stringify(meta.key) === JSON.stringify(key)) return { path, counts: meta.counts };
  }
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.tmp`;
  const t = performance.now();
  const counts = generateDatabase({ path: tmp, runs, project });
  const generatedMs = performance.now() - t;
  for (const suffix of ['-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  renameSync(tmp, path);
  writeFileSync(metaPath, JSON.stringify({ key, counts }));
  return { path, counts, generatedMs };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, runs, project] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node .bench/bench/gen-db.js <file> [runs=100000] [project=cwd]');
    process.exit(2);
  }
  mkdirSync(dirname(file), { recursive: true });
  const t = performance.now();
  const counts = generateDatabase({ path: file, runs: Number(runs ?? 100_000), project: project ?? process.cwd() });
  console.log(JSON.stringify({ ...counts, seconds: ((performance.now() - t) / 1000).toFixed(1) }));
}

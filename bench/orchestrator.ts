/**
 * The orchestrator's price: for a scripted run of each pattern (the built CLI against the fake API,
 * analysis awaited), its share — decision + revisions + analysis — of the run's input tokens,
 * output tokens and cost (target on `direct`: ≤ 10% of cost); and the latency the decision adds
 * at the start of a run, against one request's time (target ≤ 1 request), and what analysis adds
 * to the time until the prompt returns (background vs off).
 */
import Database from 'better-sqlite3';
import { runBaton } from '../test/support/cli.js';
import { routeBy, startFakeApi, textReply, toolReply, type FakeApi, type FakeRoute } from '../test/support/fake-api.js';
import { makeTempRepo, type TempRepo } from '../test/support/repo.js';
import { analysis, decision, isAnalysis, isDecision, isRevision, isRole } from '../test/support/routes.js';
import { median, type BenchRow } from './harness.js';

const LATENCY_MS = 40;
const FILE = 'export function add(a, b) {\n  return a - b;\n}\n'.repeat(40);

const scripts: Record<string, () => Record<string, FakeRoute>> = {
  direct: () => ({
    decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'fix add in src/math.js' }])] },
    coder: {
      when: isRole('coder'),
      replies: [
        toolReply('read_file', { path: 'src/math.js' }),
        toolReply('edit_file', { path: 'src/math.js', old_string: 'a - b', new_string: 'a + b', replaceAll: true }),
        textReply('fixed add'),
      ],
    },
  }),
  'plan-execute': () => ({
    decision: {
      when: isDecision,
      replies: [
        decision('plan-execute', [
          { role: 'planner', instructions: 'plan' },
          { role: 'coder', instructions: 'do' },
        ]),
      ],
    },
    planner: {
      when: isRole('planner'),
      replies: [
        toolReply('read_file', { path: 'src/math.js' }),
        textReply('```json\n{"steps":[{"title":"fix","instructions":"fix add"},{"title":"note","instructions":"write notes.md"}]}\n```'),
      ],
    },
    coder: {
      when: isRole('coder'),
      replies: (req) => (req.messages.length === 1 ? toolReply('read_file', { path: 'src/math.js' }) : textReply('step done')),
    },
  }),
  parallel: () => ({
    decision: {
      when: isDecision,
      replies: [
        decision(
          'parallel',
          [1, 2, 3].map((i) => ({ role: 'explorer' as const, instructions: `look at part ${i}` })),
        ),
      ],
    },
    explorer: {
      when: isRole('explorer'),
      replies: (req) => (req.messages.length === 1 ? toolReply('read_file', { path: 'src/math.js' }) : textReply('part looks fine')),
    },
    aggregate: { when: isRole('summarizer'), replies: [textReply('all parts fine')] },
  }),
  'review-loop': () => ({
    decision: {
      when: isDecision,
      replies: [
        decision('review-loop', [
          { role: 'coder', instructions: 'fix add' },
          { role: 'reviewer', instructions: 'review' },
        ]),
      ],
    },
    revision: { when: isRevision, replies: [{ json: { action: 'continue', reasoning: 'retry once', confidence: 0.6 } }] },
    coder: { when: isRole('coder'), replies: (req) => (req.messages.length === 1 ? toolReply('read_file', { path: 'src/math.js' }) : textReply('changed')) },
    reviewer: {
      when: isRole('reviewer'),
      replies: (_req, n) =>
        n === 0 ? textReply('```json\n{"approved":false,"reasons":["still wrong"]}\n```') : textReply('```json\n{"approved":true,"reasons":["ok"]}\n```'),
    },
  }),
};

interface Measured {
  orchestrator: { input: number; output: number; cost: number };
  total: { input: number; output: number; cost: number };
}

async function runPattern(fake: FakeApi, repo: TempRepo, pattern: string, waitAnalysis: boolean, env: Record<string, string>): Promise<number> {
  fake.setScript(routeBy({ ...scripts[pattern]!(), analysis: { when: isAnalysis, replies: () => analysis('success', ['lesson']) } }));
  const t = performance.now();
  const args = ['-p', `bench ${pattern}`, '--permission-mode', 'bypass', ...(waitAnalysis ? ['--wait-analysis'] : [])];
  const r = await runBaton(args, { cwd: repo.root, home: repo.home, env });
  if (r.code !== 0) throw new Error(`${pattern} run failed: ${r.stderr}`);
  return performance.now() - t;
}

function measure(dbPath: string, runId: string): Measured {
  const db = new Database(dbPath, { readonly: true });
  try {
    const sum = (sql: string) => db.prepare(sql).get(runId) as { input: number | null; output: number | null; cost: number | null };
    const cols = 'SUM(input_tokens + cache_read_tokens + cache_write_tokens) AS input, SUM(output_tokens) AS output, SUM(cost_usd) AS cost';
    const d = sum(`SELECT ${cols} FROM decisions WHERE run_id = ?`);
    const a = sum(`SELECT ${cols} FROM analyses WHERE run_id = ?`);
    const w = sum(`SELECT ${cols} FROM agent_calls WHERE run_id = ?`);
    const n = (x: number | null) => x ?? 0;
    const orchestrator = { input: n(d.input) + n(a.input), output: n(d.output) + n(a.output), cost: n(d.cost) + n(a.cost) };
    return { orchestrator, total: { input: orchestrator.input + n(w.input), output: orchestrator.output + n(w.output), cost: orchestrator.cost + n(w.cost) } };
  } finally {
    db.close();
  }
}

export default async function orchestrator(): Promise<BenchRow[]> {
  const repo = makeTempRepo({ 'src/math.js': FILE, 'notes.md': '# notes\n' });
  const fake = await startFakeApi({ latencyMs: LATENCY_MS });
  const dbPath = `${repo.home}/baton.db`;
  const base: Record<string, string> = { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url };
  const rows: BenchRow[] = [];
  try {
    for (const pattern of Object.keys(scripts)) {
      const from = fake.journal.length;
      await runPattern(fake, repo, pattern, true, base);
      const db = new Database(dbPath, { readonly: true });
      const runId = (db.prepare('SELECT id FROM runs ORDER BY started_at DESC LIMIT 1').get() as { id: string }).id;
      db.close();
      const m = measure(dbPath, runId);
      const pct = (a: number, b: number) => (100 * a) / b;
      rows.push(
        {
          name: `${pattern}: orchestrator share of cost`,
          value: pct(m.orchestrator.cost, m.total.cost),
          unit: '%',
          ...(pattern === 'direct' ? { target: '<= 10%', ok: pct(m.orchestrator.cost, m.total.cost) <= 10 } : {}),
        },
        { name: `${pattern}: orchestrator share of input tokens`, value: pct(m.orchestrator.input, m.total.input), unit: '%' },
        { name: `${pattern}: orchestrator share of output tokens`, value: pct(m.orchestrator.output, m.total.output), unit: '%' },
      );
      if (pattern === 'direct') {
        // Decision latency: from the decision request's start to the first worker request's start.
        const journal = fake.journal.slice(from);
        const d = journal.find((j) => j.kind === 'decision')!;
        const firstWorker = journal.find((j) => j.kind === 'coder')!;
        rows.push({
          name: 'decision: start of run delayed by',
          value: firstWorker.startedAt - d.startedAt,
          unit: 'ms',
          baseline: { name: 'one request', value: d.finishedAt! - d.startedAt },
          target: '<= one request (+ 25 ms of our own)',
          ok: firstWorker.startedAt - d.startedAt <= d.finishedAt! - d.startedAt + 25,
        });
      }
    }
    // Analysis must add nothing to the time until the prompt returns.
    const off: number[] = [];
    const bg: number[] = [];
    for (let i = 0; i < 5; i++) {
      off.push(await runPattern(fake, repo, 'direct', false, { ...base, BATON_ANALYSIS: 'off' }));
      bg.push(await runPattern(fake, repo, 'direct', false, base));
    }
    const [bgMs, offMs] = [median(bg), median(off)];
    rows.push({
      name: 'direct -p with background analysis',
      value: bgMs,
      unit: 'ms',
      baseline: { name: 'analysis off', value: offMs },
      target: '~1x',
      ok: bgMs <= offMs * 1.1 + 20,
    });
  } finally {
    await new Promise((r) => setTimeout(r, 500)); // let background analyses finish before the fake goes
    await fake.close();
    repo.cleanup();
  }
  return rows;
}

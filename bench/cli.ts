/**
 * Whole-process figures of the CLI, each against `node -e 0` measured in the same run (wall time,
 * and CPU time, steadier on a loaded machine):
 *  - `baton --version` (target ≤ 1.3×);
 *  - a one-turn `baton -p "say hi"` against a zero-latency fake, analysis off (target ≤ 3×);
 *  - a three-request `baton -p` run (a tool call): our own overhead per run beyond the fake's
 *    request time (target < 150 ms), and the same with the node start-up baseline taken out.
 */
import { spawnSync } from 'node:child_process';
import { BATON_BIN, runBaton } from '../test/support/cli.js';
import { routeBy, startFakeApi, textReply, toolReply } from '../test/support/fake-api.js';
import { makeTempRepo } from '../test/support/repo.js';
import { decision, isDecision, isRole } from '../test/support/routes.js';
import { median, processMs, ratioRows, type BenchRow } from './harness.js';

const RUNS = 10;

export default async function cli(): Promise<BenchRow[]> {
  const node = { name: 'node -e 0', ...(await processMs(() => spawnSync(process.execPath, ['-e', '0']), RUNS)) };
  const version = await processMs(() => spawnSync(process.execPath, [BATON_BIN, '--version']), RUNS);

  const repo = makeTempRepo({ 'a.js': 'export const a = 1;\n' });
  const fake = await startFakeApi({ latencyMs: 0 });
  const overheads: number[] = [];
  const walls: number[] = [];
  const env = { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, BATON_ANALYSIS: 'off' };
  let oneTurn: { wall: number; cpu: number | undefined };
  try {
    oneTurn = await processMs(async () => {
      fake.setScript(
        routeBy({
          decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'say hi' }])] },
          coder: { when: isRole('coder'), replies: [textReply('hi')] },
        }),
      );
      const r = await runBaton(['-p', 'say hi'], { cwd: repo.root, home: repo.home, env });
      if (r.code !== 0) throw new Error(`baton -p failed: ${r.stderr}`);
    }, RUNS);
    for (let i = 0; i < RUNS + 2; i++) {
      fake.setScript(
        routeBy({
          decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'read a.js and answer' }])] },
          coder: { when: isRole('coder'), replies: [toolReply('read_file', { path: 'a.js' }), textReply('a is 1')] },
        }),
      );
      const from = fake.journal.length;
      const t = performance.now();
      // Asynchronous spawn: the fake server lives in this process and must keep answering.
      const r = await runBaton(['-p', 'what is a?'], {
        cwd: repo.root,
        home: repo.home,
        env,
      });
      const wall = performance.now() - t;
      if (r.code !== 0) throw new Error(`baton -p failed: ${r.stderr}`);
      const fakeMs = fake.journal.slice(from).reduce((s, j) => s + ((j.finishedAt ?? j.startedAt) - j.startedAt), 0);
      if (i >= 2) {
        walls.push(wall);
        overheads.push(wall - fakeMs);
      }
    }
  } finally {
    await fake.close();
    repo.cleanup();
  }
  const overhead = median(overheads);
  return [
    ...ratioRows('baton --version start-up', version, node, 1.3),
    ...ratioRows('baton -p "say hi" (one turn, zero-latency fake)', oneTurn, node, 3),
    { name: 'baton -p run (3 requests, zero-latency fake)', value: median(walls), unit: 'ms', baseline: { name: 'node -e 0', value: node.wall } },
    { name: '  our overhead beyond the fake\u2019s request time', value: overhead, unit: 'ms', target: '< 150 ms', ok: overhead < 150 },
    { name: '  the same, node start-up taken out', value: overhead - node.wall, unit: 'ms' },
  ];
}

/**
 * Whole-process figures of the CLI:
 *  - `baton --version` start time vs `node -e 0` (target ≤ 2×);
 *  - a `baton -p` run against a zero-latency fake: our own overhead per run beyond the fake's
 *    request time (target < 150 ms), and the same with the node start-up baseline taken out.
 */
import { spawnSync } from 'node:child_process';
import { BATON_BIN, runBaton } from '../test/support/cli.js';
import { routeBy, startFakeApi, textReply, toolReply } from '../test/support/fake-api.js';
import { makeTempRepo } from '../test/support/repo.js';
import { decision, isDecision, isRole } from '../test/support/routes.js';
import { median, medianMs, type BenchRow } from './harness.js';

const RUNS = 10;

export default async function cli(): Promise<BenchRow[]> {
  const nodeMs = await medianMs(() => spawnSync(process.execPath, ['-e', '0']), RUNS);
  const versionMs = await medianMs(() => spawnSync(process.execPath, [BATON_BIN, '--version']), RUNS);

  const repo = makeTempRepo({ 'a.js': 'export const a = 1;\n' });
  const fake = await startFakeApi({ latencyMs: 0 });
  const overheads: number[] = [];
  const walls: number[] = [];
  try {
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
        env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, BATON_ANALYSIS: 'off' },
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
    { name: 'baton --version start-up', value: versionMs, unit: 'ms', baseline: { name: 'node -e 0', value: nodeMs }, target: '<= 2x', ok: versionMs <= 2 * nodeMs },
    { name: 'baton -p run (3 requests, zero-latency fake)', value: median(walls), unit: 'ms', baseline: { name: 'node -e 0', value: nodeMs } },
    { name: '  our overhead beyond the fake\u2019s request time', value: overhead, unit: 'ms', target: '< 150 ms', ok: overhead < 150 },
    { name: '  the same, node start-up taken out', value: overhead - nodeMs, unit: 'ms' },
  ];
}

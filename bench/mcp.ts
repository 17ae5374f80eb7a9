/**
 * What MCP servers cost before the first request:
 *  - in process: connecting 1 and 3 stdio servers (spawn, initialize, list tools; in parallel) with a
 *    warm SDK, against the start-up of a bare node process (the floor of any stdio server) measured here;
 *  - whole process: `baton mcp list` with 0, 1 and 3 servers (SDK import, connect, close);
 *  - proof that `baton -p` with nothing configured loads no MCP code (module load log).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openMcp } from '../src/extensions/mcp/index.js';
import { BATON_BIN, runBaton } from '../test/support/cli.js';
import { routeBy, startFakeApi, textReply } from '../test/support/fake-api.js';
import { makeTempRepo } from '../test/support/repo.js';
import { decision, isDecision, isRole } from '../test/support/routes.js';
import { median, medianMs, timeMs, type BenchRow } from './harness.js';

const RUNS = 6;
const ROOT = dirname(dirname(dirname(BATON_BIN)));
const STDIO_SERVER = join(ROOT, 'test', 'support', 'mcp-servers', 'stdio.mjs');
const LOAD_LOG = join(ROOT, 'test', 'support', 'load-log.mjs');

const servers = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i + 1}`, { command: process.execPath, args: [STDIO_SERVER] }]));

export default async function mcp(): Promise<BenchRow[]> {
  const repo = makeTempRepo();
  try {
    const nodeMs = await medianMs(() => spawnSync(process.execPath, ['-e', '0']), RUNS);
    const node = { name: 'node -e 0', value: nodeMs };

    const connect = async (n: number): Promise<number> => {
      writeFileSync(join(repo.home, 'mcp.json'), JSON.stringify({ mcpServers: servers(n) }));
      const xs: number[] = [];
      for (let i = 0; i < RUNS + 1; i++) {
        const m = await openMcp({ root: repo.root, env: { BATON_HOME: repo.home } });
        if (!m) throw new Error('no servers');
        const ms = await timeMs(() => m.connect());
        const failed = m.status().filter((s) => s.status !== 'connected');
        await m.close();
        if (failed.length) throw new Error(`server failed: ${failed[0]!.error}`);
        if (i > 0) xs.push(ms); // the first run also imports the SDK
      }
      return median(xs);
    };
    const one = await connect(1);
    const three = await connect(3);

    const list = async (n: number): Promise<number> => {
      writeFileSync(join(repo.home, 'mcp.json'), JSON.stringify({ mcpServers: servers(n) }));
      const xs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const r = await runBaton(['mcp', 'list', '--json'], { cwd: repo.root, home: repo.home });
        xs.push(performance.now() - t);
        if (r.code !== 0) throw new Error(`baton mcp list failed: ${r.stderr}`);
      }
      return median(xs);
    };
    const list0 = await list(0);
    const list1 = await list(1);
    const list3 = await list(3);

    const mcpModules = await mcpModulesLoadedByPrint();
    return [
      { name: 'connect 1 stdio server (in process, SDK warm)', value: one, unit: 'ms', baseline: node },
      { name: 'connect 3 stdio servers in parallel', value: three, unit: 'ms', baseline: { name: 'connect 1', value: one } },
      { name: '`baton mcp list` with 0 servers', value: list0, unit: 'ms', baseline: node },
      { name: '`baton mcp list` with 1 server', value: list1, unit: 'ms', baseline: { name: '0 servers', value: list0 } },
      { name: '`baton mcp list` with 3 servers', value: list3, unit: 'ms', baseline: { name: '0 servers', value: list0 } },
      { name: '`baton -p`, nothing configured: MCP modules loaded', value: mcpModules, unit: 'modules', target: '0', ok: mcpModules === 0 },
    ];
  } finally {
    repo.cleanup();
  }
}

/** Runs one `baton -p` against the fake with the module load log on; counts MCP SDK and src/extensions/mcp modules. */
async function mcpModulesLoadedByPrint(): Promise<number> {
  const repo = makeTempRepo();
  const fake = await startFakeApi({ latencyMs: 0 });
  const log = join(mkdtempSync(join(tmpdir(), 'baton-load-')), 'modules.log');
  try {
    fake.setScript(
      routeBy({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'explorer', instructions: 'answer' }])] },
        explorer: { when: isRole('explorer'), replies: [textReply('ok')] },
      }),
    );
    const r = await runBaton(['-p', 'hi'], {
      cwd: repo.root,
      home: repo.home,
      env: { NODE_OPTIONS: `--import=${LOAD_LOG}`, BATON_LOAD_LOG: log, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, BATON_ANALYSIS: 'off' },
    });
    if (r.code !== 0) throw new Error(`baton -p failed: ${r.stderr}`);
    const mods = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
    if (!mods.length) throw new Error('the module load log is empty');
    return mods.filter((m) => m.includes('@modelcontextprotocol') || m.includes('/extensions/mcp/')).length;
  } finally {
    await fake.close();
    repo.cleanup();
  }
}

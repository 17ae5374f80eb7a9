/**
 * Start-up discipline: only the interactive path loads ink and react; `--version` loads neither
 * the SDK nor SQLite; print mode and the review commands never load the UI.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useE2e } from '../support/e2e.js';
import { routeBy, textReply } from '../support/fake-api.js';
import { decision, isAnalysis, isDecision, isRole, analysis } from '../support/routes.js';

const loadLog = fileURLToPath(new URL('../support/load-log.mjs', import.meta.url));
const e2e = useE2e();

/** The modules a baton command loaded. */
async function modulesLoadedBy(args: string[], extraEnv: Record<string, string> = {}): Promise<string[]> {
  const log = join(mkdtempSync(join(tmpdir(), 'baton-load-')), 'modules.log');
  const r = await e2e.baton(args, { env: { NODE_OPTIONS: `--import=${loadLog}`, BATON_LOAD_LOG: log, ...extraEnv } });
  expect(r.code, r.stderr).toBe(0);
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
}

/**
 * The packages behind the loaded modules. The built CLI is an esbuild bundle: a loaded chunk of
 * dist/ stands for every package bundled into it (dist/meta.json, esbuild's metafile, lists them);
 * what stays in node_modules (better-sqlite3) is seen by its own path.
 */
function packagesIn(mods: string[]): Set<string> {
  const pkgOf = (path: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
  const found = new Set<string>();
  for (const path of filesIn(mods)) {
    const pkg = pkgOf(path);
    if (pkg) found.add(pkg);
  }
  for (const m of mods) if (m.startsWith('cjs:') && !m.startsWith('cjs:.') && !m.startsWith('cjs:/')) found.add(m.slice(4));
  return found;
}

/** The files behind the loaded modules: each one loaded directly, and every input bundled into a loaded chunk of dist/. */
function filesIn(mods: string[]): Set<string> {
  const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
  const meta = JSON.parse(readFileSync(join(dist, 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const found = new Set<string>();
  for (const m of mods) {
    const path = m.replace(/^(esm|cjs):(file:\/\/)?/, '');
    found.add(path);
    if (path.startsWith(dist)) for (const input of Object.keys(meta.outputs[`dist/${path.slice(dist.length)}`]?.inputs ?? {})) found.add(input);
  }
  return found;
}

const loads = (mods: string[], pkg: string) => packagesIn(mods).has(pkg);

describe('start-up', () => {
  it('--version loads no UI, no SDK, no SQLite', async () => {
    const mods = await modulesLoadedBy(['--version']);
    expect(mods.length).toBeGreaterThan(0); // the log works
    for (const pkg of ['ink', 'react', '@anthropic-ai/sdk', 'better-sqlite3', 'zod', 'marked', 'highlight.js']) expect(loads(mods, pkg), pkg).toBe(false);
  });

  it('print mode and the review commands never load ink or react (nor, piped, the markdown renderer)', async () => {
    e2e.fake.setScript(
      routeBy({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'explorer', instructions: 'answer' }])] },
        explorer: { when: isRole('explorer'), replies: [textReply('ok')] },
        analysis: { when: isAnalysis, replies: [analysis()] },
      }),
    );
    const print = await modulesLoadedBy(['-p', 'hi']);
    expect(loads(print, '@anthropic-ai/sdk')).toBe(true); // bundled into a chunk, and still seen
    // With no MCP server, agent file or playbook configured, none of their machinery loads; piped, no markdown renderer.
    for (const pkg of ['@modelcontextprotocol/sdk', 'yaml', 'marked', 'highlight.js']) expect(loads(print, pkg), pkg).toBe(false);
    expect(print.some((m) => m.endsWith('/extensions/mcp/manager.js'))).toBe(false);
    // zod/mini only: classic zod (a schema carries ~40 methods, twice the code) loads with the MCP SDK and `baton show`, never here.
    expect([...filesIn(print)].filter((f) => f.includes('node_modules/zod/v4/classic/'))).toEqual([]);
    for (const args of [[], ['history'], ['show'], ['stats'], ['search', 'hi']]) {
      const mods = args.length ? await modulesLoadedBy(args) : print;
      expect(loads(mods, 'ink'), args.join(' ')).toBe(false);
      expect(loads(mods, 'react'), args.join(' ')).toBe(false);
      // markdown renders only on a terminal: piped print mode and the review commands load no renderer
      expect(loads(mods, 'marked'), args.join(' ')).toBe(false);
      expect(loads(mods, 'highlight.js'), args.join(' ')).toBe(false);
      if (args.length) expect(loads(mods, '@anthropic-ai/sdk'), args.join(' ')).toBe(false);
      if (args.length) expect(loads(mods, 'better-sqlite3'), args.join(' ')).toBe(true); // the log sees packages left in node_modules too
    }
  });

  it('with telemetry off, -p loads none of the OpenTelemetry SDK; with it on, it does', async () => {
    const script = () =>
      routeBy({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'explorer', instructions: 'answer' }])] },
        explorer: { when: isRole('explorer'), replies: [textReply('ok')] },
        analysis: { when: isAnalysis, replies: [analysis()] },
      });
    // @opentelemetry/api is the Anthropic SDK's own dependency (its tracing is a no-op without a provider).
    const sdkPackages = (mods: string[]) => [...packagesIn(mods)].filter((p) => p.startsWith('@opentelemetry/') && p !== '@opentelemetry/api');
    e2e.fake.setScript(script());
    expect(sdkPackages(await modulesLoadedBy(['-p', 'hi']))).toEqual([]);
    e2e.fake.setScript(script());
    // Nothing listens there: the exit waits at most the flush bound, and the exit code stays 0.
    const on = sdkPackages(await modulesLoadedBy(['-p', 'hi'], { BATON_TELEMETRY: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }));
    expect(on).toEqual(expect.arrayContaining(['@opentelemetry/sdk-trace-base', '@opentelemetry/exporter-trace-otlp-proto']));
    expect(on).not.toContain('@opentelemetry/exporter-trace-otlp-http');
  });
});

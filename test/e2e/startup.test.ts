/**
 * Start-up discipline: only the interactive path loads ink and react; `--version` loads neither
 * the SDK nor SQLite; print mode and the review commands never load the UI.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBaton } from '../support/cli.js';
import { routeBy, startFakeApi, textReply, type FakeApi } from '../support/fake-api.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { decision, isAnalysis, isDecision, isRole, analysis } from '../support/routes.js';

const loadLog = fileURLToPath(new URL('../support/load-log.mjs', import.meta.url));
let repo: TempRepo;
let fake: FakeApi;

beforeEach(async () => {
  repo = makeTempRepo();
  fake = await startFakeApi();
});
afterEach(async () => {
  await fake.close();
  repo.cleanup();
});

/** The modules a baton command loaded. */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const log = join(mkdtempSync(join(tmpdir(), 'baton-load-')), 'modules.log');
  const r = await runBaton(args, {
    cwd: repo.root,
    home: repo.home,
    env: { NODE_OPTIONS: `--import=${loadLog}`, BATON_LOAD_LOG: log, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, BATON_ANALYSIS: 'off' },
  });
  expect(r.code, r.stderr).toBe(0);
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
}

const loads = (mods: string[], pkg: string) => mods.some((m) => m.includes(`/node_modules/${pkg}/`) || m === `cjs:${pkg}`);

describe('start-up', () => {
  it('--version loads no UI, no SDK, no SQLite', async () => {
    const mods = await modulesLoadedBy(['--version']);
    expect(mods.length).toBeGreaterThan(0); // the log works
    for (const pkg of ['ink', 'react', '@anthropic-ai/sdk', 'better-sqlite3', 'zod', 'marked', 'highlight.js']) expect(loads(mods, pkg), pkg).toBe(false);
  });

  it('print mode and the review commands never load ink or react (nor, piped, the markdown renderer)', async () => {
    fake.setScript(
      routeBy({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'explorer', instructions: 'answer' }])] },
        explorer: { when: isRole('explorer'), replies: [textReply('ok')] },
        analysis: { when: isAnalysis, replies: [analysis()] },
      }),
    );
    const print = await modulesLoadedBy(['-p', 'hi']);
    expect(loads(print, '@anthropic-ai/sdk')).toBe(true);
    for (const args of [[], ['history'], ['show'], ['stats'], ['search', 'hi']]) {
      const mods = args.length ? await modulesLoadedBy(args) : print;
      expect(loads(mods, 'ink'), args.join(' ')).toBe(false);
      expect(loads(mods, 'react'), args.join(' ')).toBe(false);
      // markdown renders only on a terminal: piped print mode and the review commands load no renderer
      expect(loads(mods, 'marked'), args.join(' ')).toBe(false);
      expect(loads(mods, 'highlight.js'), args.join(' ')).toBe(false);
      if (args.length) expect(loads(mods, '@anthropic-ai/sdk'), args.join(' ')).toBe(false);
    }
  });
});

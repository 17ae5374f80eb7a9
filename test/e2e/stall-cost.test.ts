/**
 * Stalls and the true cost, end to end: the built `baton -p` against a fake API whose stream goes
 * silent. A stall is retried visibly (BATON_STALL_MS); a run cancelled mid-stream still counts the
 * input of the request it cancelled.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BATON_BIN, runBaton } from '../support/cli.js';
import { routeBy, startFakeApi, textReply, type FakeApi, type FakeReply } from '../support/fake-api.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { decision, isAnalysis, isDecision, isRole } from '../support/routes.js';

let fake: FakeApi;
let repo: TempRepo;

beforeEach(async () => {
  fake = await startFakeApi();
  repo = makeTempRepo({ 'a.txt': 'alpha\n' });
});
afterEach(async () => {
  await fake.close();
  repo.cleanup();
});

const env = (extra: Record<string, string> = {}) => ({
  ANTHROPIC_API_KEY: 'test-key',
  ANTHROPIC_BASE_URL: fake.url,
  BATON_ANALYSIS: 'off',
  BATON_RETRY_BASE_MS: '5',
  ...extra,
});

function script(coderTurns: FakeReply[]) {
  fake.setScript(
    routeBy({
      decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'do it' }])] },
      coder: { when: isRole('coder'), replies: coderTurns },
      analysis: { when: isAnalysis, replies: [] },
    }),
  );
}

interface RunUsage {
  status: string;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
}
const storedRun = (): RunUsage => {
  const db = new Database(join(repo.home, 'baton.db'), { readonly: true });
  try {
    return db.prepare('SELECT status, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd FROM runs').get() as RunUsage;
  } finally {
    db.close();
  }
};
const journalInput = (kinds: string[]) =>
  fake.journal
    .filter((j) => j.kind && kinds.includes(j.kind))
    .reduce((n, j) => n + j.usage!.input_tokens + (j.usage!.cache_read_input_tokens ?? 0) + (j.usage!.cache_creation_input_tokens ?? 0), 0);

describe('stall timeout (BATON_STALL_MS)', () => {
  it('a stream that goes silent mid-answer is abandoned and retried visibly; the answer is whole', async () => {
    script([{ fault: 'stall', afterText: 'half of it' }, textReply('the whole answer')]);
    const started = Date.now();
    const r = await runBaton(['-p', 'hi'], { cwd: repo.root, home: repo.home, env: env({ BATON_STALL_MS: '700' }) });
    expect(r.stderr).toContain('baton: no stream event for 0.7s (stalled); retrying in');
    expect(r.stderr).toContain('the answer restarts');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('the whole answer');
    expect(Date.now() - started).toBeLessThan(20_000);
    // The stalled attempt's input counts: the run's usage covers all three requests.
    const run = storedRun();
    expect(run.input_tokens + run.cache_read_tokens + run.cache_write_tokens).toBe(journalInput(['decision', 'coder']));
  });

  it('no response headers at all: retried, and the attempt limit still ends it (exit 1, one line)', async () => {
    script([{ fault: 'hang' }, { fault: 'hang' }]);
    const r = await runBaton(['-p', 'hi'], { cwd: repo.root, home: repo.home, env: env({ BATON_STALL_MS: '700', BATON_MAX_ATTEMPTS: '2' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('baton: no response headers for 0.7s (stalled); retrying in');
    expect(r.stderr).toMatch(/no response headers for 0\.7s \(stalled\) — gave up after 2 attempts/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(storedRun().status).toBe('failed');
  });
});

describe('true cost', () => {
  it('Ctrl-C mid-stream: exit 130, and the stored run counts the cancelled request’s input', async () => {
    script([{ fault: 'stall', afterText: 'thinking out loud before the cancel' }]);
    const child = spawn(process.execPath, [BATON_BIN, '-p', 'hi'], {
      cwd: repo.root,
      env: { ...process.env, ...env(), BATON_HOME: repo.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Wait until the coder's words are on the wire (print mode shows the answer only at the end), then interrupt.
    const streaming = () => fake.journal.some((j) => j.kind === 'coder' && j.usage);
    for (let i = 0; i < 300 && !streaming(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(streaming()).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    const run = storedRun();
    expect(run.status).toBe('cancelled');
    const coder = fake.journal.find((j) => j.kind === 'coder')!;
    expect(coder.usage).toBeDefined();
    // Decision + the cancelled coder request: every input token the API reported in message_start.
    expect(run.input_tokens + run.cache_read_tokens + run.cache_write_tokens).toBe(journalInput(['decision', 'coder']));
    expect(run.output_tokens).toBeGreaterThan(fake.journal.find((j) => j.kind === 'decision')!.usage!.output_tokens);
    expect(run.cost_usd).toBeGreaterThan(0);
  });
});

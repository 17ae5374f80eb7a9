import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BATON_BIN, runBaton } from '../support/cli.js';
import { routeBy, textReply, type FakeReply } from '../support/fake-api.js';
import { useE2e } from '../support/e2e.js';
import { decision, isAnalysis, isDecision, isRole } from '../support/routes.js';

const e2e = useE2e({ files: { 'a.txt': 'alpha\n' } });

const env = (extra: Record<string, string> = {}) => e2e.env(extra);

function script(coderTurns: FakeReply[]) {
  e2e.fake.setScript(
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
  const db = e2e.openDb();
  try {
    return db.prepare('SELECT status, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd FROM runs').get() as RunUsage;
  } finally {
    db.close();
  }
};
const journalInput = (kinds: string[]) =>
  e2e.fake.journal
    .filter((j) => j.kind && kinds.includes(j.kind))
    .reduce((n, j) => n + j.usage!.input_tokens + (j.usage!.cache_read_input_tokens ?? 0) + (j.usage!.cache_creation_input_tokens ?? 0), 0);

describe('stall timeout (BATON_STALL_MS)', () => {
  it('a stream that goes silent mid-answer is abandoned and retried visibly; the answer is whole', async () => {
    script([{ fault: 'stall', afterText: 'half of it' }, textReply('the whole answer')]);
    const started = Date.now();
    const r = await runBaton(['-p', 'hi'], { cwd: e2e.repo.root, home: e2e.repo.home, env: env({ BATON_STALL_MS: '700' }) });
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
    const r = await runBaton(['-p', 'hi'], { cwd: e2e.repo.root, home: e2e.repo.home, env: env({ BATON_STALL_MS: '700', BATON_MAX_ATTEMPTS: '2' }) });
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
      cwd: e2e.repo.root,
      env: { ...process.env, ...env(), BATON_HOME: e2e.repo.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Wait until the coder's words are on the wire (print mode shows the answer only at the end), then interrupt.
    const streaming = () => e2e.fake.journal.some((j) => j.kind === 'coder' && j.usage);
    for (let i = 0; i < 300 && !streaming(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(streaming()).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    const run = storedRun();
    expect(run.status).toBe('cancelled');
    const coder = e2e.fake.journal.find((j) => j.kind === 'coder')!;
    expect(coder.usage).toBeDefined();
    // Decision + the cancelled coder request: every input token the API reported in message_start.
    expect(run.input_tokens + run.cache_read_tokens + run.cache_write_tokens).toBe(journalInput(['decision', 'coder']));
    expect(run.output_tokens).toBeGreaterThan(e2e.fake.journal.find((j) => j.kind === 'decision')!.usage!.output_tokens);
    expect(run.cost_usd).toBeGreaterThan(0);
  });
});

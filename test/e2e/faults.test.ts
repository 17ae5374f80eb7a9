/**
 * Fault tests: the built `baton -p` against a fake API that fails the way the real one does,
 * and a model that sends bad tool calls. Assert the outcome and that nothing is lost.
 */
import { existsSync, readFileSync, symlinkSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2e } from '../support/e2e.js';
import { routeBy, textReply, toolReply, type FakeReply } from '../support/fake-api.js';
import { decision, isAnalysis, isDecision, isRole } from '../support/routes.js';

const e2e = useE2e({ files: { 'a.txt': 'alpha\n' } });
const baton = (args: string[]) => e2e.baton(args);
const rows = <T>(sql: string): T[] => e2e.query<T>(sql);

function script(coderTurns: FakeReply[]) {
  e2e.fake.setScript(
    routeBy({
      decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'do it' }])] },
      coder: { when: isRole('coder'), replies: coderTurns },
      analysis: { when: isAnalysis, replies: [] },
    }),
  );
}

describe('API faults', () => {
  it('429 then success: one visible retry, counted on the agent call', async () => {
    script([{ fault: 'http', status: 429, headers: { 'retry-after-ms': '10' } }, textReply('fine')]);
    const r = await baton(['-p', 'hi']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fine');
    expect(r.stderr).toMatch(/429|rate limit/i);
    expect(rows('SELECT retries, status FROM agent_calls')).toEqual([{ retries: 1, status: 'completed' }]);
  });

  it('529 three times then success', async () => {
    const overloaded: FakeReply = { fault: 'http', status: 529 };
    script([overloaded, overloaded, overloaded, textReply('made it')]);
    const r = await baton(['-p', 'hi']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('made it');
    expect(rows('SELECT retries FROM agent_calls')).toEqual([{ retries: 3 }]);
  });

  it('401: no retry, one line about ANTHROPIC_API_KEY, run recorded failed', async () => {
    e2e.fake.setScript(() => ({ fault: 'http', status: 401 }));
    const r = await baton(['-p', 'hi']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ANTHROPIC_API_KEY');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // The decision fell back to direct (recorded with its cause); the worker's 401 failed the run.
    expect(e2e.fake.journal.filter((j) => j.status === 401)).toHaveLength(2);
    expect(rows<{ kind: string; fallback_cause: string }>('SELECT kind, fallback_cause FROM decisions')[0]!.kind).toBe('fallback');
    expect(rows('SELECT status FROM runs')).toEqual([{ status: 'failed' }]);
  });

  it('an SSE overloaded_error mid-stream is retried', async () => {
    script([{ fault: 'sse_error', errorType: 'overloaded_error', afterText: 'partial ' }, textReply('complete answer')]);
    const r = await baton(['-p', 'hi']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('complete answer');
    expect(r.stdout).not.toContain('partial'); // the cut-off attempt left nothing behind
    expect(r.stderr).toContain('the answer restarts');
    expect(rows('SELECT retries FROM agent_calls')).toEqual([{ retries: 1 }]);
  });

  it('a connection dropped mid-stream is retried', async () => {
    script([{ fault: 'drop', afterText: 'half' }, textReply('whole')]);
    const r = await baton(['-p', 'hi']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('whole');
  });
});

describe('bad tool calls from the model', () => {
  it('invalid tool input becomes an is_error result the model can act on', async () => {
    script([toolReply('read_file', { file: 'a.txt' }), toolReply('no_such_tool', {}), textReply('recovered')]);
    const r = await baton(['-p', 'read a']);
    expect(r.code).toBe(0);
    const coder = e2e.fake.journal.filter((j) => j.kind === 'coder');
    const second = JSON.stringify(coder[1]!.body);
    expect(second).toContain('is_error');
    expect(second).toMatch(/path/);
    const third = JSON.stringify(coder[2]!.body);
    expect(third).toContain('unknown tool');
    expect(rows('SELECT name, status, is_error FROM tool_calls ORDER BY started_at')).toEqual([
      { name: 'read_file', status: 'failed', is_error: 1 },
      { name: 'no_such_tool', status: 'failed', is_error: 1 },
    ]);
  });

  it('path escapes are refused: ../, absolute, symlink out of the project', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'baton-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'top secret');
    symlinkSync(outside, join(e2e.repo.root, 'link'));
    script([
      toolReply('read_file', { path: '../home/x' }),
      toolReply('read_file', { path: join(outside, 'secret.txt') }),
      toolReply('read_file', { path: 'link/secret.txt' }),
      toolReply('write_file', { path: 'link/evil.txt', content: 'x' }),
      textReply('all refused'),
    ]);
    const r = await baton(['-p', 'escape', '--permission-mode', 'bypass']);
    if (r.code !== 0) console.log(r.stdout, r.stderr);
    expect(r.code).toBe(0);
    const results = rows<{ is_error: number; output: string }>('SELECT is_error, output FROM tool_calls ORDER BY started_at');
    expect(results).toHaveLength(4);
    for (const res of results) {
      expect(res.is_error).toBe(1);
      expect(res.output).not.toContain('top secret');
    }
    expect(existsSync(join(outside, 'evil.txt'))).toBe(false);
    expect(JSON.stringify(e2e.fake.journal.map((j) => j.body))).not.toContain('top secret');
    expect(readFileSync(join(e2e.repo.root, 'a.txt'), 'utf8')).toBe('alpha\n');
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cutTextReply,
  cutToolReply,
  emptyReply,
  refusalReply,
  routeBy,
  textReply,
  toolReply,
  type FakeReply,
  type FakeRoute,
  type JournalEntry,
} from '../support/fake-api.js';
import { useE2e } from '../support/e2e.js';
import { analysis, decision, isAnalysis, isDecision, isRevision, isRole } from '../support/routes.js';

const e2e = useE2e({ files: { 'a.txt': 'alpha\n', 'src/math.js': 'export const add = (a, b) => a - b;\n' } });

const _env = (extra: Record<string, string> = {}) => e2e.env(extra);
const baton = (args: string[], extra: Record<string, string> = {}) => e2e.baton(args, { env: extra });
function query<T>(sql: string): T[] {
  const db = e2e.openDb();
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
const run = () => query<{ id: string; status: string; error: string | null; result: string | null }>('SELECT id, status, error, result FROM runs')[0]!;
const agents = () =>
  query<{ status: string; stop_reasons: string; error: string | null; result: string | null }>(
    'SELECT status, stop_reasons, error, result FROM agent_calls ORDER BY started_at',
  );
const threadAnswer = () => query<{ content: string }>("SELECT content FROM messages WHERE role = 'assistant'").map((m) => m.content);
const bodyOf = (e: JournalEntry) => e.body as { max_tokens: number; thinking?: unknown; messages: { role: string; content: unknown }[] };
const coderBodies = () => e2e.fake.journal.filter((j) => j.kind === 'coder').map(bodyOf);

function direct(coder: FakeReply[], more: Record<string, FakeRoute> = {}) {
  e2e.fake.setScript(
    routeBy({
      decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'do it' }])] },
      coder: { when: isRole('coder'), replies: coder },
      analysis: { when: isAnalysis, replies: [analysis()] },
      ...more,
    }),
  );
}

describe('refusal', () => {
  it("fails the run with the model's explanation; its partial text is neither the answer nor in the thread", async () => {
    direct([refusalReply('I can not help with building malware.', { text: 'Sure, here is the keylogger: ' })]);
    const r = await baton(['-p', 'write a keylogger']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('keylogger');
    expect(r.stderr).toContain('baton: run failed: the model refused (cyber): I can not help with building malware.');
    expect(run()).toMatchObject({ status: 'failed', result: null });
    expect(run().error).toContain('I can not help with building malware.');
    expect(agents()).toEqual([
      { status: 'failed', stop_reasons: 'refusal', error: 'the model refused (cyber): I can not help with building malware.', result: null },
    ]);
    expect(threadAnswer().join('\n')).not.toContain('keylogger');
    expect(threadAnswer()[0]).toMatch(/^\(failed: the model refused/);
  });

  it('json output: status failed, the explanation in error, no result', async () => {
    direct([refusalReply(null, { text: 'partial', category: null })]);
    const r = await baton(['-p', 'x', '--output-format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { status: string; result: string | null; error: string };
    expect(out).toMatchObject({ status: 'failed', result: null, error: 'the model refused: it gave no explanation' });
  });

  it('a refused decision ends the run failed: no repair, no fallback, no worker', async () => {
    e2e.fake.setScript(
      routeBy({
        decision: { when: isDecision, replies: [refusalReply('This looks like a request for a bioweapon.', { category: 'bio' })] },
        analysis: { when: isAnalysis, replies: [analysis('failure')] },
      }),
    );
    const r = await baton(['-p', 'something dangerous']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the orchestrator's decision call was refused: the model refused (bio): This looks like a request for a bioweapon.");
    expect(r.stderr).not.toMatch(/falling back/);
    expect(e2e.fake.journal.map((j) => j.kind)).toEqual(['decision']);
    expect(query('SELECT kind FROM decisions')).toEqual([]);
    expect(run().status).toBe('failed');
    // The refused call was paid for.
    expect(
      query<{ input_tokens: number; cost_usd: number }>('SELECT input_tokens + cache_write_tokens AS input_tokens, cost_usd FROM runs')[0]!.cost_usd,
    ).toBeGreaterThan(0);
  });

  it('a refused revision ends the run failed with the explanation', async () => {
    e2e.fake.setScript(
      routeBy({
        decision: {
          when: isDecision,
          replies: [
            decision('review-loop', [
              { role: 'coder', instructions: 'fix add' },
              { role: 'reviewer', instructions: 'check add' },
            ]),
          ],
        },
        revision: { when: isRevision, replies: [refusalReply('I will not continue this.', { category: 'general_harms' })] },
        coder: { when: isRole('coder'), replies: [textReply('changed add'), textReply('changed again')] },
        reviewer: { when: isRole('reviewer'), replies: [textReply('```json\n{"approved": false, "reasons": ["wrong"]}\n```')] },
        analysis: { when: isAnalysis, replies: [analysis('failure')] },
      }),
    );
    const r = await baton(['-p', 'fix add', '--permission-mode', 'bypass']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('revision call was refused: the model refused (general_harms): I will not continue this.');
    expect(run().status).toBe('failed');
    // No second coder round after the refusal.
    expect(e2e.fake.journal.filter((j) => j.kind === 'coder')).toHaveLength(1);
  });

  it('a refused analysis is recorded as refused, from the signals', async () => {
    direct([textReply('done')], { analysis: { when: isAnalysis, replies: [refusalReply('No post-mortem for this.', { category: 'general_harms' })] } });
    const r = await baton(['-p', 'x', '--wait-analysis'], { BATON_ANALYSIS: 'on' });
    expect(r.code).toBe(0);
    const [a] = query<{ outcome: string; summary: string }>('SELECT outcome, summary FROM analyses');
    expect(a!.outcome).toBe('success');
    expect(a!.summary).toContain('the post-mortem was refused: the model refused (general_harms): No post-mortem for this.');
  });
});

describe('max_tokens', () => {
  it('in text: continued with a user turn (no prefill) until the answer ends', async () => {
    direct([cutTextReply('Part one, '), cutTextReply('part two, '), textReply('part three.')]);
    const r = await baton(['-p', 'long answer']);
    expect(r.code).toBe(0);
    // One answer, not three lines: the continuations go on where the text stopped.
    expect(r.stdout).toBe('Part one, part two, part three.\n');
    expect(run()).toMatchObject({ status: 'completed', result: 'Part one, part two, part three.' });
    expect(agents()[0]!.stop_reasons).toBe('max_tokens,max_tokens,end_turn');
    const [, second, third] = coderBodies();
    expect(second!.messages.at(-1)!.role).toBe('user');
    expect(JSON.stringify(second!.messages.at(-1))).toContain('Continue exactly where it stopped');
    expect(third!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
  });

  it('in text, still cut after 3 continuations: the run fails, visibly cut off, with the text kept', async () => {
    direct([cutTextReply('a '), cutTextReply('b '), cutTextReply('c '), cutTextReply('d ')]);
    const r = await baton(['-p', 'very long answer']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('a b c d');
    expect(r.stderr).toContain('baton: the answer was cut off at the output limit (16384 tokens), even after 3 continuations');
    expect(run()).toMatchObject({ status: 'failed', result: 'a b c d' });
    expect(agents()[0]).toMatchObject({ status: 'failed', stop_reasons: 'max_tokens,max_tokens,max_tokens,max_tokens' });
  });

  it('inside a tool call: never run; retried once with more room, then the model is told to split the work', async () => {
    const big = { path: 'big.txt', content: 'x'.repeat(400) };
    direct([
      cutToolReply('write_file', big, 60),
      {
        text: 'Writing it.',
        toolUses: [
          { name: 'read_file', input: { path: 'a.txt' } },
          { name: 'write_file', input: big, cutAt: 80 },
        ],
      },
      toolReply('write_file', { path: 'big.txt', content: 'skeleton\n' }),
      textReply('wrote a skeleton'),
    ]);
    const r = await baton(['-p', 'write big.txt', '--permission-mode', 'bypass']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('a write_file call was cut off at 16384 output tokens; retrying the turn with 64000');
    expect(r.stderr).toContain('a write_file call was cut off at 64000 output tokens and was not run');
    expect(readFileSync(join(e2e.repo.root, 'big.txt'), 'utf8')).toBe('skeleton\n');
    const [first, retried, afterCut] = coderBodies();
    expect(first!.max_tokens).toBe(16384);
    expect(retried!.max_tokens).toBe(64000);
    // The retry is the same request: the cut turn was not kept.
    expect(retried!.messages).toEqual(first!.messages);
    expect(afterCut!.max_tokens).toBe(16384);
    const results = afterCut!.messages.at(-1)!.content as { type: string; is_error?: boolean; content: string }[];
    expect(results.map((b) => b.type)).toEqual(['tool_result', 'tool_result']);
    expect(results[0]!.content).toContain('alpha'); // the complete call of that turn ran
    expect(results[1]).toMatchObject({ is_error: true });
    expect(results[1]!.content).toContain('cut off at the output limit (64000 tokens)');
    expect(results[1]!.content).toContain('skeleton');
    expect(agents()[0]).toMatchObject({ status: 'completed', stop_reasons: 'max_tokens,max_tokens,tool_use,end_turn' });
    const writes = query<{ status: string; is_error: number }>("SELECT status, is_error FROM tool_calls WHERE name = 'write_file' ORDER BY started_at");
    expect(writes).toEqual([
      { status: 'failed', is_error: 1 },
      { status: 'completed', is_error: 0 },
    ]);
  });
});

describe('empty content', () => {
  it('after tool results: one nudge in the same user turn, then the answer', async () => {
    direct([toolReply('read_file', { path: 'a.txt' }), emptyReply(), textReply('a.txt says alpha')]);
    const r = await baton(['-p', 'what is in a.txt?']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('a.txt says alpha');
    const third = coderBodies()[2]!;
    const last = third.messages.at(-1)!.content as { type: string; text?: string }[];
    expect(last.map((b) => b.type)).toEqual(['tool_result', 'text']);
    expect(last[1]!.text).toContain('Give your final answer now');
    expect(agents()[0]).toMatchObject({ status: 'completed', stop_reasons: 'tool_use,end_turn,end_turn' });
  });

  it('empty again after the nudge: a visible failure, never an empty success', async () => {
    direct([emptyReply(), emptyReply()]);
    const r = await baton(['-p', 'hello']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('baton: run failed: the model gave an empty answer, also when asked once more for its final answer');
    expect(run().status).toBe('failed');
    expect(agents()[0]).toMatchObject({ status: 'failed', stop_reasons: 'end_turn,end_turn' });
  });
});

describe('pause_turn and the context window', () => {
  it('pause_turn: the paused turn is sent back as it is and continues; one assistant turn on record', async () => {
    direct([{ text: 'Working on it', stopReason: 'pause_turn' }, textReply(' and done.')]);
    const r = await baton(['-p', 'go']);
    expect(r.code).toBe(0);
    const second = coderBodies()[1]!;
    expect(second.messages.at(-1)!.role).toBe('assistant');
    expect(agents()[0]).toMatchObject({ status: 'completed', stop_reasons: 'pause_turn,end_turn' });
    const conversation = JSON.parse(query<{ messages_json: string }>('SELECT messages_json FROM agent_calls')[0]!.messages_json) as {
      messages: { role: string }[];
    };
    expect(conversation.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('model_context_window_exceeded is not a normal end: never completed with the cut text', async () => {
    direct([{ text: 'half an answ', stopReason: 'model_context_window_exceeded' }]);
    const r = await baton(['-p', 'go']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('model_context_window_exceeded');
    expect(run()).toMatchObject({ status: 'failed', result: null });
    expect(agents()[0]).toMatchObject({ status: 'failed', stop_reasons: 'model_context_window_exceeded' });
  });
});

describe('thinking', () => {
  it('signed thinking goes back unchanged through a tool loop and a resume; streamed as events; shown in full by baton show', async () => {
    direct([
      toolReply('read_file', { path: 'a.txt' }, { thinking: ['I should look at a.txt first.'] }),
      {
        thinking: ['Two things at once: a question and a listing.'],
        redactedThinking: true,
        toolUses: [
          { name: 'list_files', input: {} },
          { name: 'ask_user', input: { question: 'Keep alpha?' } },
        ],
      },
      textReply('kept alpha', { thinking: ['The user said yes.'] }),
    ]);
    const first = await baton(['-p', 'look', '--output-format', 'stream-json']);
    expect(first.code).toBe(3);
    const events = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; text?: string });
    expect(
      events
        .filter((e) => e.type === 'thinking.delta')
        .map((e) => e.text)
        .join(''),
    ).toContain('I should look at a.txt first.');
    const runId = run().id;
    const second = await baton(['answer', runId, 'yes']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('kept alpha');
    // Every request after the first carried the earlier thinking blocks; the e2e.fake checked each signature.
    const bodies = coderBodies();
    expect(bodies).toHaveLength(3);
    expect(e2e.fake.journal.every((j) => j.status === 200)).toBe(true);
    for (const b of bodies) expect(b.thinking).toEqual({ type: 'adaptive', display: 'summarized' });
    const resumed = JSON.stringify(bodies[2]!.messages);
    expect(resumed).toContain('I should look at a.txt first.');
    expect(resumed).toContain('redacted_thinking');
    expect(agents()[0]).toMatchObject({ status: 'completed', stop_reasons: 'tool_use,tool_use,end_turn' });

    const show = await baton(['show', runId]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('stops');
    expect(show.stdout).toContain('tool_use ×2, end_turn');
    expect(show.stdout).toContain('I should look at a.txt first.');
    expect(show.stdout).toContain('Two things at once: a question and a listing.');
    const json = JSON.parse((await baton(['show', runId, '--json'])).stdout) as { agentCalls: { stopReasons: string[]; thinking: string[] }[] };
    expect(json.agentCalls[0]!.stopReasons).toEqual(['tool_use', 'tool_use', 'end_turn']);
    expect(json.agentCalls[0]!.thinking).toContain('The user said yes.');
  });

  it('a model of the 4.5 generation gets budgeted thinking below max_tokens (the e2e.fake refuses adaptive there)', async () => {
    direct([textReply('ok', { thinking: ['short'] })]);
    const r = await baton(['-p', 'hi', '--model', 'claude-sonnet-4-5']);
    expect(r.code).toBe(0);
    expect(coderBodies()[0]!.thinking).toEqual({ type: 'enabled', budget_tokens: 4096, display: 'summarized' });
  });
});

describe('the orchestrator', () => {
  it('a fallback to direct is announced on stderr in print mode', async () => {
    e2e.fake.setScript(
      routeBy({
        decision: { when: isDecision, replies: [{ json: { pattern: 'teleport' } }, { text: 'not json' }] },
        coder: { when: isRole('coder'), replies: [textReply('answered directly')] },
      }),
    );
    const r = await baton(['-p', 'hello']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/baton: the orchestrator's decision failed \(invalid output after one repair: .*\); falling back to direct/);
    expect(existsSync(join(e2e.repo.home, 'baton.db'))).toBe(true);
  });
});

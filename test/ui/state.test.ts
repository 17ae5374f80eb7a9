import { describe, expect, it } from 'vitest';
import type { BatonEvent } from '../../src/core/events.js';
import { emptyUsage, type Usage } from '../../src/core/usage.js';
import { initialState, LIVE_LINES, reduce, type Item, type UiAction, type UiState } from '../../src/cli/ui/state.js';

const usage = (input: number, output: number, cacheRead = 0, cacheWrite = 0): Usage => ({
  inputTokens: input,
  outputTokens: output,
  cacheReadTokens: cacheRead,
  cacheWriteTokens: cacheWrite,
});

function run(...actions: UiAction[]): UiState {
  return actions.reduce(reduce, initialState('m', 'ask', 'idle'));
}

const started: BatonEvent = { type: 'run.started', runId: 'r1', threadId: 't1', prompt: 'fix it', resumed: false };
const agent = (id: string, label = 'direct', role = 'coder'): BatonEvent => ({ type: 'agent.started', runId: 'r1', agentCallId: id, role, model: 'm', label });
const delta = (id: string, text: string): BatonEvent => ({ type: 'text.delta', runId: 'r1', agentCallId: id, text });
const agentDone = (id: string, result: string, role = 'coder'): BatonEvent => ({
  type: 'agent.finished',
  runId: 'r1',
  agentCallId: id,
  role,
  status: 'completed',
  result,
  usage: emptyUsage(),
  costUsd: 0,
});
const finished = (
  result: string | undefined,
  u: Usage = emptyUsage(),
  costUsd = 0,
  status: 'completed' | 'failed' | 'cancelled' | 'waiting_user' = 'completed',
): BatonEvent => ({
  type: 'run.finished',
  runId: 'r1',
  threadId: 't1',
  status,
  result,
  usage: u,
  costUsd,
  durationMs: 1200,
});

const kinds = (s: UiState) => s.items.map((i) => i.kind);
const texts = (s: UiState) => s.items.filter((i): i is Extract<Item, { kind: 'text' }> => i.kind === 'text').map((i) => i.text);

describe('reduce: streaming text', () => {
  it('keeps an unfinished paragraph live and commits it when the paragraph ends', () => {
    let s = run(started, agent('a1'), delta('a1', 'First line\nsecond'));
    expect(s.items).toHaveLength(0);
    expect(s.live?.streams.a1).toBe('First line\nsecond');
    s = reduce(s, delta('a1', ' line\n\nNext para'));
    expect(texts(s)).toEqual(['First line\nsecond line\n']);
    expect(s.live?.streams.a1).toBe('Next para');
  });

  it('commits complete lines once more than LIVE_LINES wait, so the live area stays small', () => {
    const lines = Array.from({ length: LIVE_LINES + 1 }, (_, i) => `line ${i}`).join('\n');
    const s = run(started, agent('a1'), delta('a1', `${lines}\npartial`));
    expect(texts(s)).toEqual([lines]);
    expect(s.live?.streams.a1).toBe('partial');
  });

  it('commits the rest at the end of a model turn and does not repeat the same text as the answer', () => {
    const s = run(
      started,
      agent('a1'),
      delta('a1', 'The answer is 42.'),
      { type: 'llm.usage', runId: 'r1', agentCallId: 'a1', usage: usage(10, 5), costUsd: 0.01 },
      agentDone('a1', 'The answer is 42.'),
      finished('The answer is 42.', usage(10, 5), 0.01),
    );
    expect(texts(s)).toEqual(['The answer is 42.']);
    expect(kinds(s)).toEqual(['text', 'run-end']);
    expect(s.live).toBeUndefined();
  });

  it('shows the result as the answer when no agent streamed it', () => {
    const s = run(started, agent('w1', 'worker#1', 'explorer'), agentDone('w1', 'found 3 files', 'explorer'), finished('Summary: three files'));
    expect(s.items.find((i) => i.kind === 'answer')).toMatchObject({ text: 'Summary: three files' });
  });

  it('labels text when the speaker changes in a multi-agent run', () => {
    const s = run(
      started,
      agent('c1', 'coder#1', 'coder'),
      agent('r1a', 'review#1', 'reviewer'),
      delta('c1', 'edited a.ts\n\n'),
      delta('r1a', 'looks good\n\n'),
      delta('c1', 'more\n\n'),
    );
    const labelled = s.items.filter((i): i is Extract<Item, { kind: 'text' }> => i.kind === 'text').map((i) => i.label);
    expect(labelled).toEqual(['coder#1', 'review#1 · reviewer', 'coder#1']);
  });

  it('commits text before a tool line, keeping the order the model produced', () => {
    const s = run(
      started,
      agent('a1'),
      delta('a1', 'Let me run the tests'),
      {
        type: 'tool.requested',
        runId: 'r1',
        agentCallId: 'a1',
        toolCallId: 'tu1',
        name: 'bash',
        input: { command: 'npm test' },
        title: 'bash: npm test',
        subject: 'npm test',
      },
      {
        type: 'tool.finished',
        runId: 'r1',
        agentCallId: 'a1',
        toolCallId: 'tu1',
        name: 'bash',
        isError: false,
        output: 'ok',
        durationMs: 5,
        summary: 'exit 0',
      },
    );
    expect(kinds(s)).toEqual(['text', 'tool']);
    expect(s.items[1]).toMatchObject({ kind: 'tool', name: 'bash', detail: 'npm test', summary: 'exit 0', isError: false });
  });
});

describe('reduce: run lifecycle', () => {
  it('records the decision as a one-line header', () => {
    const reasoning = 'A single small edit. No review needed because the change is trivial and easy to check.';
    const s = run(started, {
      type: 'decision.made',
      runId: 'r1',
      decisionId: 'd1',
      kind: 'initial',
      pattern: 'direct',
      reasoning,
      agents: [],
      confidence: 0.9,
    });
    expect(s.items[0]).toMatchObject({ kind: 'header', pattern: 'direct', reason: 'A single small edit.' });
    expect(s.live?.pattern).toBe('direct');
  });

  it('tracks agents and what each is doing', () => {
    let s = run(started, agent('a1'));
    expect(s.live?.agents).toEqual([{ id: 'a1', role: 'coder', label: 'direct', activity: 'thinking' }]);
    s = reduce(s, {
      type: 'tool.requested',
      runId: 'r1',
      agentCallId: 'a1',
      toolCallId: 'x',
      name: 'edit_file',
      input: { path: 'a.ts' },
      title: 'edit a.ts',
      subject: 'a.ts',
    });
    expect(s.live?.agents[0]?.activity).toBe('running edit_file');
    s = reduce(s, { type: 'permission.needed', runId: 'r1', agentCallId: 'a1', toolCallId: 'x', name: 'edit_file', title: 'edit a.ts' });
    expect(s.live?.agents[0]?.activity).toBe('waiting for permission');
    s = reduce(s, { type: 'permission.answered', runId: 'r1', toolCallId: 'x', answer: 'deny' });
    expect(s.items.at(-1)).toMatchObject({ kind: 'notice', text: 'denied: edit a.ts' });
    s = reduce(s, agentDone('a1', ''));
    expect(s.live?.agents).toEqual([]);
  });

  it('accumulates session usage without counting a run twice', () => {
    let s = run(started, { type: 'llm.usage', runId: 'r1', agentCallId: 'a1', usage: usage(100, 20, 300), costUsd: 0.5 });
    expect(s.usage).toEqual(usage(100, 20, 300));
    // run.finished carries the run's totals, including a decision call that sent no llm.usage.
    s = reduce(s, finished('ok', usage(150, 30, 300), 0.6));
    expect(s.usage).toEqual(usage(150, 30, 300));
    expect(s.costUsd).toBeCloseTo(0.6);
    expect(s.runs).toEqual([expect.objectContaining({ runId: 'r1', status: 'completed', usage: usage(150, 30, 300), costUsd: 0.6 })]);
  });

  it('keeps a resumed run as one entry whose totals span both legs', () => {
    let s = run(started, finished(undefined, usage(10, 1), 0.1, 'waiting_user'));
    expect(kinds(s)).not.toContain('run-end'); // the question comes next instead
    s = reduce(s, { ...started, resumed: true } as BatonEvent);
    s = reduce(s, { type: 'llm.usage', runId: 'r1', agentCallId: 'a2', usage: usage(5, 2), costUsd: 0.05 });
    s = reduce(s, finished('done', usage(15, 3), 0.15));
    expect(s.runs).toHaveLength(1);
    expect(s.usage).toEqual(usage(15, 3));
    expect(s.costUsd).toBeCloseTo(0.15);
  });

  it('does not show a cancelled run\u2019s partial result as an answer', () => {
    const s = run(started, finished('half', emptyUsage(), 0, 'cancelled'));
    expect(kinds(s)).toEqual(['run-end']);
    expect(s.items[0]).toMatchObject({ status: 'cancelled' });
  });

  it('turns retries and notices into one line each', () => {
    const s = run(
      started,
      agent('a1'),
      { type: 'llm.retry', runId: 'r1', agentCallId: 'a1', attempt: 2, delayMs: 2000, reason: 'rate limited (429)' },
      { type: 'notice', level: 'warn', message: 'git: not a repository' },
    );
    expect(s.items.map((i) => (i.kind === 'notice' ? i.text : ''))).toEqual(['rate limited (429) — retrying in 2.0s (attempt 2)', 'git: not a repository']);
  });

  it('a retry after a cut-off stream drops the unprinted partial text, which streams again', () => {
    const s = run(
      { type: 'ui.phase', phase: 'running' },
      started,
      agent('a1'),
      delta('a1', 'half an ans'),
      { type: 'llm.retry', runId: 'r1', agentCallId: 'a1', attempt: 2, delayMs: 100, reason: 'connection lost', resetText: true },
      delta('a1', 'the whole answer'),
      { type: 'ui.phase', phase: 'idle' },
    );
    expect(texts(s)).toEqual(['the whole answer']);
    expect(s.items.some((i) => i.kind === 'notice' && i.text.includes('the answer restarts'))).toBe(true);
  });

  it('leaving a run keeps what was streamed', () => {
    const s = run({ type: 'ui.phase', phase: 'running' }, started, agent('a1'), delta('a1', 'partial words'), { type: 'ui.phase', phase: 'idle' });
    expect(texts(s)).toEqual(['partial words']);
    expect(s.live).toBeUndefined();
    expect(s.phase).toBe('idle');
  });
});

describe('reduce: transcript bookkeeping', () => {
  it('forgets printed items and starts a new epoch, keeping items added since', () => {
    let s = run({ type: 'ui.submitted', text: 'a' }, { type: 'ui.submitted', text: 'b' });
    const epoch = s.epoch;
    s = reduce(s, { type: 'ui.submitted', text: 'c' });
    s = reduce(s, { type: 'ui.printed', count: 2 });
    expect(s.items.map((i) => (i.kind === 'user' ? i.text : ''))).toEqual(['c']);
    expect(s.epoch).toBe(epoch + 1);
    // ids keep counting, so React keys never repeat
    expect(reduce(s, { type: 'ui.submitted', text: 'd' }).items.at(-1)?.id).toBe(4);
  });

  it('shows the last messages of a continued thread and remembers its last run', () => {
    const transcript = Array.from({ length: 14 }, (_, i) => ({
      role: i % 2 ? ('assistant' as const) : ('user' as const),
      content: `m${i}`,
      runId: i % 2 ? `r${i}` : undefined,
    }));
    const s = run({ type: 'ui.session', threadId: 't9', transcript });
    expect(s.items[0]).toMatchObject({ kind: 'notice', text: 'continuing thread t9 (4 earlier messages not shown)' });
    expect(s.items).toHaveLength(11);
    expect(s.lastRunId).toBe('r13');
  });
});

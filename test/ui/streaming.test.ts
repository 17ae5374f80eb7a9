/**
 * A streaming markdown answer: only complete blocks leave the live area (the tail stays plain),
 * thinking folds to one line, and the type-ahead queue lives in the UI state.
 */
import { describe, expect, it } from 'vitest';
import { cutStream } from '../../src/cli/render/markdown-split.js';
import type { BatonEvent } from '../../src/core/events.js';
import { emptyUsage } from '../../src/core/usage.js';
import { initialState, reduce, type Item, type UiAction, type UiState } from '../../src/cli/ui/state.js';

const limits = { liveLines: 8, fenceLines: 40, maxChars: 8000 };

describe('cutStream', () => {
  it('cuts after a blank line, keeping the unfinished paragraph', () => {
    expect(cutStream('# Title\n\nA para', limits)).toEqual({ done: '# Title\n\n', rest: 'A para' });
    expect(cutStream('one line, no end', limits)).toBeUndefined();
  });

  it('keeps an open code fence whole, blank lines inside it included, until it closes', () => {
    const open = '```ts\nconst a = 1;\n\nconst b = 2;\n';
    expect(cutStream(open, limits)).toBeUndefined();
    expect(cutStream(`Intro\n\n${open}`, limits)).toEqual({ done: 'Intro\n\n', rest: open });
    expect(cutStream(`${open}\`\`\`\n\nAfter`, limits)).toEqual({ done: `${open}\`\`\`\n\n`, rest: 'After' });
  });

  it('cuts a very long fence in two, closing and reopening it so both halves stay code', () => {
    const body = Array.from({ length: 45 }, (_, i) => `line ${i}`).join('\n');
    const cut = cutStream(`\`\`\`py\n${body}\npart`, limits)!;
    expect(cut.done).toBe(`\`\`\`py\n${body}\n\`\`\`\n`);
    expect(cut.rest).toBe('```py\npart');
  });

  it('keeps a table whole however long, but lets long plain text go line by line', () => {
    const table = `| a | b |\n|---|---|\n${Array.from({ length: 12 }, (_, i) => `| ${i} | x |`).join('\n')}\n`;
    expect(cutStream(table, limits)).toBeUndefined();
    const prose = `${Array.from({ length: 9 }, (_, i) => `line ${i}`).join('\n')}\npartial`;
    expect(cutStream(prose, limits)?.rest).toBe('partial');
  });
});

const started: BatonEvent = { type: 'run.started', runId: 'r1', threadId: 't1', prompt: 'p', resumed: false };
const agent: BatonEvent = { type: 'agent.started', runId: 'r1', agentCallId: 'a1', role: 'coder', model: 'm', label: 'direct' };
const delta = (text: string): BatonEvent => ({ type: 'text.delta', runId: 'r1', agentCallId: 'a1', text });
const thinking = (text: string): BatonEvent => ({ type: 'thinking.delta', runId: 'r1', agentCallId: 'a1', text });
const run = (...actions: UiAction[]): UiState => actions.reduce(reduce, initialState('m', 'ask', 'running'));
const texts = (s: UiState) => s.items.filter((i): i is Extract<Item, { kind: 'text' }> => i.kind === 'text').map((i) => i.text);

describe('reduce: streaming markdown', () => {
  it('keeps a code block live (plain) until its closing fence, then commits it whole', () => {
    let s = run(started, agent, delta('Here is the fix:\n\n```js\nconst a = 1;\n\n'));
    expect(texts(s)).toEqual(['Here is the fix:\n']);
    expect(s.live?.streams.a1).toBe('```js\nconst a = 1;\n\n');
    s = reduce(s, delta('const b = 2;\n```\n\nDone'));
    expect(texts(s)).toEqual(['Here is the fix:\n', '```js\nconst a = 1;\n\nconst b = 2;\n```\n']);
    expect(s.live?.streams.a1).toBe('Done');
  });

  it('keeps a list live until a blank line ends it', () => {
    const s = run(started, agent, delta('- one\n- two\n- thr'));
    expect(texts(s)).toEqual([]);
    expect(texts(reduce(s, delta('ee\n\nNext')))).toEqual(['- one\n- two\n- three\n']);
  });
});

describe('reduce: thinking', () => {
  it('streams thinking live and folds it into one transcript item when the text starts', () => {
    let s = run(started, agent, thinking('Let me look at greet.\n'), thinking('It returns hello.'));
    expect(s.live?.thinking.a1).toBe('Let me look at greet.\nIt returns hello.');
    expect(s.live?.thinkingAgent).toBe('a1');
    expect(s.items).toEqual([]);
    s = reduce(s, delta('The answer.'));
    expect(s.items).toEqual([expect.objectContaining({ kind: 'thinking', text: 'Let me look at greet.\nIt returns hello.' })]);
    expect(s.live?.thinking).toEqual({});
    expect(s.live?.thinkingAgent).toBeUndefined();
  });

  it('a turn that only thought still leaves its line, before the tool it called', () => {
    const s = run(
      started,
      agent,
      thinking('Need to run the tests.'),
      {
        type: 'tool.requested',
        runId: 'r1',
        agentCallId: 'a1',
        toolCallId: 't',
        name: 'bash',
        input: { command: 'npm test' },
        title: 'bash: npm test',
        subject: 'npm test',
      },
      {
        type: 'run.finished',
        runId: 'r1',
        threadId: 't1',
        status: 'completed',
        usage: emptyUsage(),
        costUsd: 0,
        durationMs: 1,
      },
    );
    expect(s.items.map((i) => i.kind)).toEqual(['thinking', 'run-end']);
  });
});

describe('reduce: the type-ahead queue', () => {
  it('holds the queued prompts and hands text back to the editor with a new sequence number', () => {
    let s = run({ type: 'ui.queue', queue: ['first', 'second'] });
    expect(s.queue).toEqual(['first', 'second']);
    s = reduce(s, { type: 'ui.recall', text: 'first\nsecond' });
    s = reduce(s, { type: 'ui.queue', queue: [] });
    expect(s.recall).toEqual({ text: 'first\nsecond', seq: 1 });
    expect(reduce(s, { type: 'ui.recall', text: 'again' }).recall?.seq).toBe(2);
    expect(s.queue).toEqual([]);
  });
});

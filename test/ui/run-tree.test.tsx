/**
 * Sub-agents in view: the live tree of a parallel run, an agent folding to one line when it ends,
 * Ctrl-O unfolding the last run's agents and tool calls, and an edit's folded diff.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatonEvent } from '../../src/core/events.js';
import type { Usage } from '../../src/core/usage.js';
import { App } from '../../src/cli/ui/App.js';
import { SessionController } from '../../src/cli/ui/controller.js';
import { LiveArea } from '../../src/cli/ui/LiveArea.js';
import { initialState, reduce, type Item, type UiAction, type UiState } from '../../src/cli/ui/state.js';
import { Transcript } from '../../src/cli/ui/Transcript.js';
import { openDatabase } from '../../src/store/db.js';
import { count, listening, waitFor } from './support.js';

afterEach(cleanup);

const usage = (input: number, output: number): Usage => ({ inputTokens: input, outputTokens: output, cacheReadTokens: 0, cacheWriteTokens: 0 });
const run = (...actions: UiAction[]): UiState => actions.reduce(reduce, initialState('m', 'ask', 'idle'));

const started: BatonEvent = { type: 'run.started', runId: 'r1', threadId: 't1', prompt: 'find the callers', resumed: false };
const decided = (pattern: string): BatonEvent => ({
  type: 'decision.made',
  runId: 'r1',
  decisionId: 'd1',
  kind: 'initial',
  pattern,
  reasoning: 'Independent searches.',
  agents: [],
  confidence: 0.8,
});
const agent = (id: string, label: string, role = 'explorer'): BatonEvent => ({ type: 'agent.started', runId: 'r1', agentCallId: id, role, model: 'm', label });
const turn = (id: string, input: number, output: number, costUsd: number): BatonEvent => ({
  type: 'llm.usage',
  runId: 'r1',
  agentCallId: id,
  usage: usage(input, output),
  costUsd,
});
const requested = (id: string, call: string, name: string, title: string, subject: string): BatonEvent => ({
  type: 'tool.requested',
  runId: 'r1',
  agentCallId: id,
  toolCallId: call,
  name,
  input: {},
  title,
  subject,
});
const toolDone = (id: string, call: string, name: string, summary: string, diff?: string): BatonEvent => ({
  type: 'tool.finished',
  runId: 'r1',
  agentCallId: id,
  toolCallId: call,
  name,
  isError: false,
  output: 'ok',
  durationMs: 3,
  summary,
  diff,
});
const agentDone = (id: string, result: string, u: Usage, costUsd: number): BatonEvent => ({
  type: 'agent.finished',
  runId: 'r1',
  agentCallId: id,
  role: 'explorer',
  status: 'completed',
  result,
  usage: u,
  costUsd,
});

/** Two explorers working at once, each in a tool call. */
const parallelRun = (): UiState =>
  run(
    started,
    decided('parallel'),
    agent('w1', 'worker#1'),
    agent('w2', 'worker#2'),
    turn('w1', 1000, 200, 0.004),
    requested('w1', 't1', 'grep', 'grep "greet(" in src', '"greet("'),
    requested('w2', 't2', 'read_file', 'read src/app.js', 'src/app.js'),
  );

const frameOf = (s: UiState) => render(<LiveArea live={s.live} trace={s.trace} phase="running" busy={undefined} columns={100} />).lastFrame()!;

describe('the live run tree', () => {
  it('shows the pattern, then each parallel agent with the tool it runs, its turns and tokens', () => {
    const frame = frameOf(parallelRun());
    expect(frame).toContain('parallel · 2 working (esc to cancel)');
    expect(frame).toContain('├─ worker#1 · explorer: grep "greet(" in src · 1 turn · 1.2k tokens');
    expect(frame).toContain('└─ worker#2 · explorer: read src/app.js');
    expect(frame).not.toContain('read src/app.js ·'); // no model turn done yet: nothing to count
  });

  it('folds a finished agent to one line in the transcript and counts it as done in the tree', () => {
    const s = [
      toolDone('w1', 't1', 'grep', '3 matches'),
      turn('w1', 500, 100, 0.002),
      agentDone('w1', 'Three callers: a.js, b.js\nDetails follow.', usage(1500, 300), 0.006),
    ].reduce(reduce, parallelRun());
    // The sub-agent's calls fold into its line; they are not transcript lines of their own.
    expect(s.items.map((i) => i.kind)).toEqual(['header', 'agent']);
    const transcript = render(<Transcript items={s.items} epoch={0} width={120} />).lastFrame()!;
    expect(transcript).toContain('✓ worker#1 · explorer · 2 turns · 1.8k tokens · $0.0060 · 1 tool call — Three callers: a.js, b.js');
    expect(transcript).not.toContain('Details follow.');
    const tree = frameOf(s);
    expect(tree).toContain('parallel · 1 working · 1 done');
    expect(tree).toContain('└─ worker#2 · explorer: read src/app.js');
    expect(tree).not.toContain('worker#1');
  });

  it('a direct run stays one line: pattern, role, the tool title, turn and tokens', () => {
    const s = run(started, decided('direct'), agent('a1', 'direct', 'coder'), requested('a1', 'e1', 'edit_file', 'edit src/greet.js', 'src/greet.js'));
    const frame = frameOf(s);
    expect(frame).toContain('direct · coder: edit src/greet.js (esc to cancel)');
    expect(frame).not.toContain('direct · direct');
  });
});

describe('an edit in the transcript', () => {
  const diff = ['--- a/src/greet.js', '+++ b/src/greet.js', '@@ -1,4 +1,4 @@', '-one', '-two', '-three', '+uno', '+dos', '+tres', ' four'].join('\n');

  it('shows its diff folded to the first changed lines, and how many more', () => {
    const s = run(
      started,
      decided('direct'),
      agent('a1', 'direct', 'coder'),
      requested('a1', 'e1', 'edit_file', 'edit src/greet.js', 'src/greet.js'),
      toolDone('a1', 'e1', 'edit_file', '+3 -3', diff),
    );
    const tool = s.items.find((i): i is Extract<Item, { kind: 'tool' }> => i.kind === 'tool')!;
    expect(tool.diff).toEqual({ lines: ['-one', '-two', '-three', '+uno'], more: 2 });
    const frame = render(<Transcript items={s.items} epoch={0} width={100} />).lastFrame()!;
    expect(frame).toContain('✓ edit_file src/greet.js · +3 -3');
    expect(frame).toContain('      -one');
    expect(frame).toContain('      +uno');
    expect(frame).not.toContain('+dos');
    expect(frame).not.toContain('+++ b/src/greet.js');
    expect(frame).toContain('… 2 more changed lines (/diff shows all)');
  });

  it("keeps a sub-agent's file change in view, naming the agent", () => {
    const s = [requested('w1', 'e2', 'edit_file', 'edit src/a.js', 'src/a.js'), toolDone('w1', 'e2', 'edit_file', '+3 -3', diff)].reduce(reduce, parallelRun());
    expect(s.items.at(-1)).toMatchObject({ kind: 'tool', name: 'edit_file', by: 'worker#1 · explorer', diff: { more: 2 } });
  });
});

describe('Ctrl-O', () => {
  it("unfolds the last run's agents and their tool calls, and folds them again", async () => {
    const home = mkdtempSync(join(tmpdir(), 'baton-tree-'));
    const db = openDatabase(join(home, 'baton.db'));
    const controller = new SessionController({
      db,
      project: home,
      options: { model: 'm', orchestratorModel: 'o', permissionMode: 'ask' },
      openSession: () => Promise.reject(new Error('no session in this test')),
      listThreads: () => Promise.resolve([]),
    });
    try {
      await controller.start(undefined);
      const ui = render(<App controller={controller} />);
      await listening(ui.stdin);
      ui.stdin.write('\x0f');
      await waitFor(() => expect(ui.lastFrame()).toContain('no run in this session yet'));

      const events: BatonEvent[] = [
        started,
        decided('parallel'),
        agent('w1', 'worker#1'),
        agent('w2', 'worker#2'),
        requested('w1', 't1', 'grep', 'grep "greet(" in src', '"greet("'),
        toolDone('w1', 't1', 'grep', '3 matches'),
        turn('w1', 900, 100, 0.003),
        agentDone('w1', 'Three callers.', usage(900, 100), 0.003),
        requested('w2', 't2', 'read_file', 'read src/app.js', 'src/app.js'),
        toolDone('w2', 't2', 'read_file', '40 lines'),
        turn('w2', 400, 50, 0.001),
        agentDone('w2', 'app.js calls greet once.', usage(400, 50), 0.001),
        {
          type: 'run.finished',
          runId: 'r1',
          threadId: 't1',
          status: 'completed',
          result: 'Three callers.',
          usage: usage(1300, 150),
          costUsd: 0.004,
          durationMs: 900,
        },
      ];
      for (const e of events) controller.store.dispatch(e);
      await waitFor(() => expect(ui.lastFrame()).toContain('✓ done'));
      const folded = ui.lastFrame()!;
      expect(folded).toContain('✓ worker#2 · explorer · 1 turn · 450 tokens · $0.0010 · 1 tool call — app.js calls greet once.');
      expect(folded).not.toContain('grep "greet(" in src');

      ui.stdin.write('\x0f');
      await waitFor(() => expect(ui.lastFrame()).toContain('▾ parallel run r1 · 2 agents (ctrl-o folds)'));
      const open = ui.lastFrame()!;
      expect(open).toContain('├─ ✓ worker#1 · explorer');
      expect(open).toContain('│    ✓ grep "greet(" in src · 3 matches');
      expect(open).toContain('└─ ✓ worker#2 · explorer');
      expect(open).toContain('     ✓ read src/app.js · 40 lines');

      ui.stdin.write('\x0f');
      await waitFor(() => expect(ui.lastFrame()).not.toContain('ctrl-o folds'));
      expect(count(ui.lastFrame()!, 'read src/app.js')).toBe(0);
    } finally {
      controller.exit();
      await controller.exited;
      db.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

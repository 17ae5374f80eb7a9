import { useSyncExternalStore } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { Transcript, PRINTED_TRIM_AT } from '../../src/cli/ui/Transcript.js';
import { UiStore } from '../../src/cli/ui/store.js';
import { initialState } from '../../src/cli/ui/state.js';
import { count, waitFor } from './support.js';

afterEach(cleanup);

function Screen({ store }: { store: UiStore }) {
  const s = useSyncExternalStore(store.subscribe, store.getState);
  return <Transcript items={s.items} epoch={s.epoch} onPrinted={(n) => store.dispatch({ type: 'ui.printed', count: n })} />;
}

describe('Transcript', () => {
  it('prints each finished item exactly once, however often the screen updates', async () => {
    const store = new UiStore(initialState('m', 'ask', 'idle'));
    const ui = render(<Screen store={store} />);
    store.dispatch({ type: 'ui.submitted', text: 'add a test' });
    store.dispatch({ type: 'run.started', runId: 'r1', threadId: 't1', prompt: 'add a test', resumed: false });
    store.dispatch({
      type: 'decision.made',
      runId: 'r1',
      decisionId: 'd',
      kind: 'initial',
      pattern: 'direct',
      reasoning: 'Small change.',
      agents: [],
      confidence: 1,
    });
    await waitFor(() => expect(ui.lastFrame()).toContain('◆ direct — Small change.'));
    store.dispatch({
      type: 'tool.requested',
      runId: 'r1',
      agentCallId: 'a',
      toolCallId: 't',
      name: 'edit_file',
      input: { path: 'src/a.ts' },
      title: 'edit src/a.ts',
      subject: 'src/a.ts',
    });
    store.dispatch({
      type: 'tool.finished',
      runId: 'r1',
      agentCallId: 'a',
      toolCallId: 't',
      name: 'edit_file',
      isError: false,
      output: '',
      durationMs: 1,
      summary: '+3 -1',
    });
    store.dispatch({ type: 'notice', level: 'info', message: 'unrelated update' });
    await waitFor(() => expect(ui.lastFrame()).toContain('unrelated update'));
    const frame = ui.lastFrame()!;
    expect(count(frame, '> add a test')).toBe(1);
    expect(count(frame, '◆ direct')).toBe(1);
    expect(frame).toContain('✓ edit_file src/a.ts · +3 -1');
  });

  it('lets the store forget printed items without printing anything twice', async () => {
    const store = new UiStore(initialState('m', 'ask', 'idle'));
    const ui = render(<Screen store={store} />);
    const total = PRINTED_TRIM_AT * 2 + 7;
    for (let i = 0; i < total; i++) {
      store.dispatch({ type: 'ui.output', text: `item-${i}.` });
      if (i % 10 === 9) await waitFor(() => expect(ui.lastFrame()).toContain(`item-${i}.`));
    }
    await waitFor(() => expect(ui.lastFrame()).toContain(`item-${total - 1}.`));
    const frame = ui.lastFrame()!;
    for (let i = 0; i < total; i++) expect(count(frame, `item-${i}.`)).toBe(1);
    // the state holds only what is not yet known to be on screen
    expect(store.getState().items.length).toBeLessThan(PRINTED_TRIM_AT);
    expect(store.getState().epoch).toBeGreaterThan(0);
  });
});

/**
 * Two text blocks of one assistant turn read as two paragraphs in the session: the real client
 * streams a turn with two text blocks from the fake API, and its deltas go through the session's
 * state into the rendered transcript.
 */
import { useSyncExternalStore } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { Transcript } from '../../src/cli/ui/Transcript.js';
import { UiStore } from '../../src/cli/ui/store.js';
import { initialState } from '../../src/cli/ui/state.js';
import { createLlmClient } from '../../src/llm/client.js';
import { textOf } from '../../src/llm/content.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { waitFor } from './support.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi();
});
afterAll(() => api.close());
afterEach(cleanup);

function Screen({ store }: { store: UiStore }) {
  const s = useSyncExternalStore(store.subscribe, store.getState);
  return <Transcript items={s.items} epoch={s.epoch} onPrinted={(n) => store.dispatch({ type: 'ui.printed', count: n })} />;
}

describe('two text blocks of one turn', () => {
  it('are shown as two paragraphs, with a blank line between them', async () => {
    api.setScript([{ text: 'I read the file.', moreText: ['The bug is on line 3.'] }]);
    const client = createLlmClient({ apiKey: 'test-key', baseURL: api.url });
    const store = new UiStore(initialState('m', 'ask', 'idle'));
    const ui = render(<Screen store={store} />);
    store.dispatch({ type: 'run.started', runId: 'r1', threadId: 't1', prompt: 'why', resumed: false });
    store.dispatch({ type: 'agent.started', runId: 'r1', agentCallId: 'a1', role: 'coder', model: 'm', label: 'direct' });
    const res = await client.call({
      model: 'claude-sonnet-5-5',
      system: 's',
      messages: [{ role: 'user', content: 'why' }],
      maxTokens: 100,
      onText: (text) => store.dispatch({ type: 'text.delta', runId: 'r1', agentCallId: 'a1', text }),
    });
    store.dispatch({ type: 'llm.usage', runId: 'r1', agentCallId: 'a1', usage: res.usage, costUsd: res.costUsd });
    // The stored answer (textOf) is what was shown.
    expect(textOf(res.content)).toBe('I read the file.\n\nThe bug is on line 3.');
    await waitFor(() => expect(ui.lastFrame()).toContain('The bug is on line 3.'));
    const lines = ui
      .lastFrame()!
      .split('\n')
      .map((l) => l.trim());
    const first = lines.findIndex((l) => l.includes('I read the file.'));
    expect(lines[first]).not.toContain('The bug'); // not glued into "file.The bug"
    expect(lines[first + 1]).toBe('');
    expect(lines[first + 2]).toContain('The bug is on line 3.');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { InputBox } from '../../src/cli/ui/InputBox.js';
import { keys, listening, waitFor } from './support.js';

afterEach(cleanup);

async function setup(history: string[] = []) {
  const sent: string[] = [];
  const ui = render(<InputBox onSubmit={(t) => void sent.push(t)} history={() => history} slashCommands />);
  await listening(ui.stdin);
  const type = (...chunks: string[]) => chunks.forEach((c) => ui.stdin.write(c));
  return { ui, sent, type };
}

describe('InputBox', () => {
  it('sends on Enter and inserts newlines with Ctrl-J and Alt-Enter', async () => {
    const { ui, sent, type } = await setup();
    type('first', keys.ctrlJ, 'second', keys.altEnter, 'third');
    await waitFor(() => expect(ui.lastFrame()).toContain('  third'));
    expect(ui.lastFrame()).toContain('> first');
    expect(sent).toEqual([]);
    type(keys.enter);
    await waitFor(() => expect(sent).toEqual(['first\nsecond\nthird']));
    await waitFor(() => expect(ui.lastFrame()).not.toContain('first'));
  });

  it('edits in the middle of the text', async () => {
    const { sent, type } = await setup();
    type('helo', keys.left, 'l', keys.backspace, 'l', keys.enter);
    await waitFor(() => expect(sent).toEqual(['hello']));
  });

  it('walks the prompt history with up and down, keeping the draft', async () => {
    const { ui, sent, type } = await setup(['older prompt', 'newest prompt']);
    type('draft', keys.up);
    await waitFor(() => expect(ui.lastFrame()).toContain('newest prompt'));
    type(keys.up);
    await waitFor(() => expect(ui.lastFrame()).toContain('older prompt'));
    type(keys.down, keys.down);
    await waitFor(() => expect(ui.lastFrame()).toContain('draft'));
    type(keys.up, keys.up, keys.enter);
    await waitFor(() => expect(sent).toEqual(['older prompt']));
  });

  it('moves between lines of a multi-line prompt before reaching the history', async () => {
    const { ui, sent, type } = await setup(['from history']);
    type('line one', keys.ctrlJ, 'two', keys.up, 'X', keys.enter);
    await waitFor(() => expect(sent).toEqual(['linXe one\ntwo']));
    expect(ui.lastFrame()).not.toContain('from history');
  });

  it('inserts a bracketed paste whole, newlines included, and sends all of it', async () => {
    const { ui, sent, type } = await setup();
    const pasted = Array.from({ length: 30 }, (_, i) => `pasted line ${i}`).join('\n');
    type(keys.paste(pasted));
    // only a window of a long paste is on screen
    await waitFor(() => expect(ui.lastFrame()).toContain('lines above'));
    expect(sent).toEqual([]);
    type(keys.enter);
    await waitFor(() => expect(sent).toEqual([pasted]));
  });

  it('lists matching slash commands and completes the name with Tab', async () => {
    const { ui, sent, type } = await setup();
    type('/c');
    await waitFor(() => expect(ui.lastFrame()).toContain('/compact'));
    expect(ui.lastFrame()).toContain('/cost');
    expect(ui.lastFrame()).not.toContain('/help');
    type('o', 's', keys.tab, keys.enter);
    await waitFor(() => expect(sent).toEqual(['/cost ']));
  });
});

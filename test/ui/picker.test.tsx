import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { ThreadPicker } from '../../src/cli/ui/ThreadPicker.js';
import { keys, listening, waitFor } from './support.js';

afterEach(cleanup);

const now = Date.UTC(2025, 0, 10);
const threads = [
  { id: 't_new', title: 'add a CSV export', updatedAt: now - 5 * 60_000, runs: 3 },
  { id: 't_old', title: '', updatedAt: now - 2 * 86_400_000, runs: 1 },
];

describe('ThreadPicker', () => {
  it('lists the threads with their runs and age, and picks one with the arrows', async () => {
    const picked: (string | undefined)[] = [];
    const ui = render(<ThreadPicker threads={threads} onPick={(id) => picked.push(id)} now={now} />);
    expect(ui.lastFrame()).toContain('❯ add a CSV export · 3 runs · 5m ago · t_new');
    expect(ui.lastFrame()).toContain('(untitled) · 1 run · 2d ago · t_old');
    await listening(ui.stdin);
    ui.stdin.write(keys.down);
    ui.stdin.write(keys.enter);
    await waitFor(() => expect(picked).toEqual(['t_old']));
  });

  it('Esc leaves without a thread', async () => {
    const picked: (string | undefined)[] = [];
    const ui = render(<ThreadPicker threads={threads} onPick={(id) => picked.push(id)} now={now} />);
    await listening(ui.stdin);
    ui.stdin.write('\x1b');
    await waitFor(() => expect(picked).toEqual([undefined]));
  });
});

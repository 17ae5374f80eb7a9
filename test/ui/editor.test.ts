import { describe, expect, it, vi } from 'vitest';
import { edit, emptyEditor, HistoryCursor, verticalMove, type EditorState } from '../../src/cli/ui/editor.js';
import { KeyDecoder, PASTE_END, PASTE_START, type KeyName, type KeyPress } from '../../src/cli/ui/keys.js';
import { DeltaBatcher } from '../../src/cli/ui/batcher.js';
import type { BatonEvent } from '../../src/core/events.js';

const key = (name: KeyName, text = ''): KeyPress => ({ name, text });
const type = (s: EditorState, ...keys: KeyPress[]) => keys.reduce((acc, k) => edit(acc, k) ?? acc, s);

describe('KeyDecoder', () => {
  const decode = (...raws: string[]) => {
    const d = new KeyDecoder();
    return raws.flatMap((r) => d.push(r));
  };

  it('tells Enter from Ctrl-J and Alt-Enter, and Backspace from Delete', () => {
    expect(decode('\r', '\n', '\x1b\r', '\x7f', '\x1b[3~').map((k) => k.name)).toEqual(['return', 'newline', 'newline', 'backspace', 'delete']);
  });

  it('decodes arrows, Shift-Tab, Esc and Ctrl-C', () => {
    expect(decode('\x1b[A', '\x1bOB', '\x1b[Z', '\x1b', '\x03', '\t').map((k) => k.name)).toEqual(['up', 'down', 'shiftTab', 'escape', 'ctrlC', 'tab']);
  });

  it('assembles a bracketed paste split over several reads into one paste with its newlines', () => {
    expect(decode(`${PASTE_START}line one\r`, 'line two\r\nline', ` three${PASTE_END}x`)).toEqual([
      key('paste', 'line one\nline two\nline three'),
      key('text', 'x'),
    ]);
  });

  it('reads typed text that arrives with its Enter as text then Enter, and unbracketed multi-line text as a paste', () => {
    expect(decode('hello\r')).toEqual([key('text', 'hello'), key('return')]);
    expect(decode('a\rb\r')).toEqual([key('paste', 'a\nb\n')]);
  });

  it('ignores escape sequences nobody handles', () => {
    expect(decode('\x1b[15~').map((k) => k.name)).toEqual(['unknown']);
  });
});

describe('editor', () => {
  it('inserts, moves and deletes around the cursor', () => {
    const s = type(emptyEditor, key('text', 'helo'), key('left'), key('text', 'l'), key('end'), key('backspace'), key('home'), key('delete'));
    expect(s).toEqual({ text: 'ell', cursor: 0 });
  });

  it('inserts newlines and moves between lines keeping the column', () => {
    let s = type(emptyEditor, key('text', 'first line'), key('newline'), key('text', 'ab'));
    expect(s.text).toBe('first line\nab');
    s = verticalMove(s, -1)!;
    expect(s.cursor).toBe(2);
    expect(verticalMove(s, -1)).toBeUndefined(); // first line: history's turn
    // down from column 10 lands at the end of the shorter second line
    expect(verticalMove({ text: s.text, cursor: 10 }, 1)?.cursor).toBe(13);
    expect(verticalMove({ text: s.text, cursor: 13 }, 1)).toBeUndefined();
  });

  it('kills words and lines like a shell', () => {
    expect(type({ text: 'git commit -m', cursor: 13 }, key('killWord'))).toEqual({ text: 'git commit ', cursor: 11 });
    expect(type({ text: 'a\nbcd', cursor: 3 }, key('killBefore'))).toEqual({ text: 'a\ncd', cursor: 2 });
    expect(type({ text: 'a\nbcd', cursor: 3 }, key('killAfter'))).toEqual({ text: 'a\nb', cursor: 3 });
  });

  it('walks history back and forth and restores the unsent draft', () => {
    const h = new HistoryCursor(['one', 'two']);
    expect(h.move(1, 'draft')).toBeUndefined();
    expect(h.move(-1, 'draft')).toBe('two');
    expect(h.move(-1, 'two')).toBe('one');
    expect(h.move(-1, 'one')).toBeUndefined();
    expect(h.move(1, 'one')).toBe('two');
    expect(h.move(1, 'two')).toBe('draft');
  });
});

describe('DeltaBatcher', () => {
  it('coalesces text per agent and flushes it before any other event', () => {
    const out: BatonEvent[] = [];
    const b = new DeltaBatcher((e) => out.push(e), 10_000);
    const d = (agentCallId: string, text: string): BatonEvent => ({ type: 'text.delta', runId: 'r', agentCallId, text });
    b.push(d('a', 'he'));
    b.push(d('b', 'x'));
    b.push(d('a', 'llo'));
    expect(out).toEqual([]);
    b.push({ type: 'notice', level: 'info', message: 'n' });
    expect(out).toEqual([d('a', 'hello'), d('b', 'x'), { type: 'notice', level: 'info', message: 'n' }]);
  });

  it('flushes on its own after the interval', () => {
    vi.useFakeTimers();
    try {
      const out: BatonEvent[] = [];
      const b = new DeltaBatcher((e) => out.push(e), 50);
      b.push({ type: 'text.delta', runId: 'r', agentCallId: 'a', text: 'hi' });
      vi.advanceTimersByTime(49);
      expect(out).toHaveLength(0);
      vi.advanceTimersByTime(1);
      expect(out).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

/** Helpers for the session UI's component tests (ink-testing-library). */
import { PASTE_END, PASTE_START } from '../../src/cli/ui/keys.js';

/** Polls `check` until it stops throwing (effects and renders are asynchronous), or fails with its last error. */
export async function waitFor(check: () => void, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/** Waits until the rendered app listens to stdin (its effects ran), so typed keys are not lost. */
export const listening = (stdin: { listenerCount(event: string): number }) =>
  waitFor(() => {
    if (stdin.listenerCount('readable') === 0) throw new Error('the app does not read stdin yet');
  });

export const keys = {
  enter: '\r',
  ctrlJ: '\n',
  altEnter: '\x1b\r',
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  backspace: '\x7f',
  tab: '\t',
  shiftTab: '\x1b[Z',
  ctrlC: '\x03',
  paste: (text: string) => `${PASTE_START}${text}${PASTE_END}`,
};

/** Occurrences of `needle` in `haystack`. */
export const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

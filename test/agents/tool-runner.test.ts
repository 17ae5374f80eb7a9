import { describe, expect, it } from 'vitest';
import { display, runInModelOrder } from '../../src/agents/tool-runner.js';

type Call = { id: string; read: boolean; ms: number };
const call = (id: string, read: boolean, ms = 5): Call => ({ id, read, ms });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `calls` through the runner's scheduling, logging when each starts and ends. */
async function schedule(calls: Call[], signal = new AbortController().signal, onStart?: (c: Call) => void) {
  const log: string[] = [];
  const results = await runInModelOrder(
    calls,
    (c) => c.read,
    async (c) => {
      log.push(`start ${c.id}`);
      onStart?.(c);
      await sleep(c.ms);
      log.push(`end ${c.id}`);
      return `result ${c.id}`;
    },
    signal,
  );
  return { log, results };
}

describe('runInModelOrder', () => {
  it('runs consecutive reads together and returns results in the model order', async () => {
    // r2 finishes first, yet its result stays in second place.
    const { log, results } = await schedule([call('r1', true, 30), call('r2', true, 1), call('r3', true, 10)]);
    expect(log.slice(0, 3)).toEqual(['start r1', 'start r2', 'start r3']);
    expect(log.slice(3)).toEqual(['end r2', 'end r3', 'end r1']);
    expect(results).toEqual(['result r1', 'result r2', 'result r3']);
  });

  it('runs writes and commands one at a time, after the reads before them and before the reads after them', async () => {
    const { log, results } = await schedule([
      call('r1', true, 20),
      call('w1', false),
      call('x1', false),
      call('r2', true),
      call('r3', true),
      call('w2', false),
    ]);
    expect(log).toEqual(['start r1', 'end r1', 'start w1', 'end w1', 'start x1', 'end x1', 'start r2', 'start r3', 'end r2', 'end r3', 'start w2', 'end w2']);
    expect(results).toEqual(['result r1', 'result w1', 'result x1', 'result r2', 'result r3', 'result w2']);
  });

  it('starts no further change once cancelled; what did not run has no result', async () => {
    const controller = new AbortController();
    const { log, results } = await schedule([call('w1', false), call('w2', false), call('r1', true)], controller.signal, (c) => {
      if (c.id === 'w1') controller.abort();
    });
    expect(log).toEqual(['start w1', 'end w1']);
    expect(results).toEqual(['result w1', undefined, undefined]);
  });
});

describe('display', () => {
  it("uses the tool's own title and subject, also for input that does not validate", () => {
    expect(display({ name: 'bash', input: { command: 'npm test' } })).toEqual({ title: 'bash: npm test', subject: 'npm test' });
    expect(display({ name: 'edit_file', input: { path: 'a.ts' } })).toEqual({ title: 'edit a.ts', subject: 'a.ts' });
    expect(display({ name: 'bash', input: {} })).toEqual({ title: 'bash', subject: '' });
    expect(display({ name: 'no_such_tool', input: { path: 'a.ts' } })).toEqual({ title: 'no_such_tool', subject: '' });
  });
});

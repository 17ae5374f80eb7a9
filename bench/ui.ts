/**
 * The interactive session's figures:
 *  - time to the first interactive frame (the prompt on a pseudo-terminal) vs `node -e 0` (target ≤ 3×),
 *    and until keys typed at once show in it, ink loaded and reading them (target ≤ 4×);
 *  - CPU time per streamed KB of answer text through the real UI (store, reducer, ink) with 100
 *    and 1,000 transcript items before it (target: 1,000 within 1.2× of 100: no quadratic re-rendering);
 *  - the same with a markdown answer rendered (marked, highlight.js) vs shown plain (target ≤ 1.2×);
 *  - resident memory after 200 runs in one session.
 */
import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { BatonEvent } from '../src/core/events.js';
import { BATON_BIN } from '../test/support/cli.js';
import { makeTempRepo } from '../test/support/repo.js';
import { median, medianMs, type BenchRow } from './harness.js';

const FRAME_RUNS = 7;
const PROMPT_MARK = 'ask for a change';
const STREAM_BYTES = 1024 * 1024;
/** Deltas of the fake API's size; one screen update per this many (about one 50 ms batch of a fast stream). */
const DELTA_CHARS = 12;
const DELTAS_PER_FLUSH = 64;

export default async function ui(): Promise<BenchRow[]> {
  const nodeMs = await medianMs(() => spawnSync(process.execPath, ['-e', '0']), FRAME_RUNS);
  const start = await startUpMs();
  // The production React build, as `baton` runs it.
  process.env.NODE_ENV = 'production';
  const memory = await memoryAfterRuns(200);
  await streamKbCpuMs(100); // warm-up: JIT
  const at100 = await streamKbCpuMs(100);
  const at1000 = await streamKbCpuMs(1000);
  // The same markdown answer, first shown plain (the renderer is not loaded yet), then rendered.
  const md = markdownText(STREAM_BYTES);
  await streamKbCpuMs(100, md);
  const plainMd = await streamKbCpuMs(100, md);
  const { loadMarkdown } = await import('../src/cli/render/load.js');
  await loadMarkdown();
  await streamKbCpuMs(100, md);
  const renderedMd = await streamKbCpuMs(100, md);
  return [
    {
      name: 'first interactive frame (pty)',
      value: start.frame,
      unit: 'ms',
      baseline: { name: 'node -e 0', value: nodeMs },
      target: '<= 3x',
      ok: start.frame <= 3 * nodeMs,
    },
    {
      name: '  keys typed at once show in the prompt',
      value: start.echo,
      unit: 'ms',
      baseline: { name: 'node -e 0', value: nodeMs },
      target: '<= 4x',
      ok: start.echo <= 4 * nodeMs,
    },
    { name: 'stream 1 MB, 100 items before: CPU per KB', value: at100, unit: 'ms' },
    {
      name: 'stream 1 MB, 1,000 items before: CPU per KB',
      value: at1000,
      unit: 'ms',
      baseline: { name: '100 items', value: at100 },
      target: '<= 1.2x',
      ok: at1000 <= 1.2 * at100,
    },
    { name: 'stream 1 MB of markdown, shown plain: CPU per KB', value: plainMd, unit: 'ms' },
    {
      name: 'stream 1 MB of markdown, rendered: CPU per KB',
      value: renderedMd,
      unit: 'ms',
      baseline: { name: 'plain', value: plainMd },
      target: '<= 1.2x',
      ok: renderedMd <= 1.2 * plainMd,
    },
    { name: 'resident memory after 200 runs', value: memory.after, unit: 'MB', baseline: { name: 'before the runs', value: memory.before } },
    { name: '  JS heap after 200 runs (after a GC)', value: memory.heapAfter, unit: 'MB', baseline: { name: 'after 100 runs', value: memory.heapHalf } },
  ];
}

/**
 * Spawns `baton` on a pseudo-terminal (util-linux `script`) and times, from the spawn, the prompt
 * being drawn and the first typed keys showing in it (typed as soon as the prompt is there).
 */
async function startUpMs(): Promise<{ frame: number; echo: number }> {
  const repo = makeTempRepo();
  const env: NodeJS.ProcessEnv = { ...process.env, BATON_HOME: repo.home, NO_COLOR: '1', TERM: 'xterm-256color' };
  delete env.ANTHROPIC_API_KEY;
  const typed = 'qzqz';
  const once = () =>
    new Promise<{ frame: number; echo: number }>((resolve, reject) => {
      const t = performance.now();
      // A terminal of 100×40 (a pty from `script` starts at 0×0, which ink would treat as full).
      const command = `stty rows 40 cols 100; exec '${process.execPath}' '${BATON_BIN}'`;
      const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: repo.root, env, stdio: ['pipe', 'pipe', 'ignore'] });
      let out = '';
      let frame: number | undefined;
      let echo: number | undefined;
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (frame === undefined && out.includes(PROMPT_MARK)) {
          frame = performance.now() - t;
          child.stdin.write(typed);
        }
        if (frame !== undefined && echo === undefined && out.includes(typed)) {
          echo = performance.now() - t;
          child.kill('SIGTERM'); // the pty closes: baton gets SIGHUP and leaves
        }
      });
      child.on('close', () => {
        clearTimeout(timer);
        if (frame === undefined || echo === undefined) reject(new Error(`no prompt or no echo on the terminal; it showed:\n${out}`));
        else resolve({ frame, echo });
      });
    });
  try {
    await once(); // warm the file cache
    const runs: { frame: number; echo: number }[] = [];
    for (let i = 0; i < FRAME_RUNS; i++) runs.push(await once());
    return { frame: median(runs.map((r) => r.frame)), echo: median(runs.map((r) => r.echo)) };
  } finally {
    repo.cleanup();
  }
}

/** A terminal that throws the output away (but has the size of one). */
class NullTerminal extends Writable {
  columns = 100;
  rows = 40;
  isTTY = true;
  override _write(_chunk: unknown, _enc: string, done: () => void): void {
    done();
  }
}

async function mountApp() {
  const [{ render }, { createElement }, { App }, { SessionController }] = await Promise.all([
    import('ink'),
    import('react'),
    import('../src/cli/ui/App.js'),
    import('../src/cli/ui/controller.js'),
  ]);
  const unused = () => Promise.reject(new Error('the benchmark opens no session'));
  const controller = new SessionController({
    db: undefined as never, // no command runs here
    project: '/bench',
    options: { model: 'claude-sonnet-5-5', orchestratorModel: 'claude-haiku-5-5', permissionMode: 'ask' },
    openSession: unused,
    listThreads: unused,
  });
  const stdin = Object.assign(new EventEmitter(), { isTTY: false, setEncoding() {}, ref() {}, unref() {}, read: () => null });
  const ink = render(createElement(App, { controller }), {
    stdout: new NullTerminal() as never,
    stdin: stdin as never,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const { store } = controller;
  return { store, unmount: () => ink.unmount() };
}

const idle = () => new Promise((r) => setImmediate(r));

/** Text like an answer: lines of about 70 characters, a blank line every five. */
function answerText(bytes: number): string {
  const line = 'The quick brown fox jumps over the lazy dog while the build runs. ';
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l = i % 6 === 5 ? '' : `${line.slice(0, 60)}${i}`;
    lines.push(l);
    size += l.length + 1;
  }
  return lines.join('\n').slice(0, bytes);
}

/** An answer in markdown: headings, emphasis, lists, a code block and a table in every section. */
export function markdownText(bytes: number): string {
  const section = (i: number) =>
    [
      `## Step ${i}: update the greeting`,
      '',
      `This changes **one file** and keeps *the rest* as it is; see \`src/greet${i}.js\` and [the docs](https://example.com/${i}).`,
      '',
      '- read the current code',
      '- change the returned word',
      '  - keep the export',
      '1. run the tests',
      '2. commit',
      '',
      '```js',
      `export const greet${i} = () => "hi"; // changed`,
      'export default greet;',
      '```',
      '',
      '| file | lines |',
      '|------|------:|',
      `| src/greet${i}.js | ${i % 50} |`,
      '',
      '> Small and safe.',
      '',
    ].join('\n');
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += section(i);
  return text.slice(0, bytes);
}

/** Events of one run whose answer is `text`, streamed in small deltas. */
function* runEvents(runId: string, text: string): Generator<BatonEvent> {
  const usage = { inputTokens: 1000, outputTokens: Math.ceil(text.length / 4), cacheReadTokens: 3000, cacheWriteTokens: 0 };
  yield { type: 'run.started', runId, threadId: 't', prompt: `prompt of ${runId}`, resumed: false };
  yield {
    type: 'decision.made',
    runId,
    decisionId: `d${runId}`,
    kind: 'initial',
    pattern: 'direct',
    reasoning: 'One agent is enough for this.',
    agents: [],
    confidence: 0.9,
  };
  yield { type: 'agent.started', runId, agentCallId: `a${runId}`, role: 'coder', model: 'm', label: 'direct' };
  yield {
    type: 'tool.requested',
    runId,
    agentCallId: `a${runId}`,
    toolCallId: `t${runId}`,
    name: 'bash',
    input: { command: 'npm test' },
    title: 'bash: npm test',
    subject: 'npm test',
  };
  yield {
    type: 'tool.finished',
    runId,
    agentCallId: `a${runId}`,
    toolCallId: `t${runId}`,
    name: 'bash',
    isError: false,
    output: 'ok',
    durationMs: 10,
    summary: 'exit 0',
  };
  for (let i = 0; i < text.length; i += DELTA_CHARS) yield { type: 'text.delta', runId, agentCallId: `a${runId}`, text: text.slice(i, i + DELTA_CHARS) };
  yield { type: 'llm.usage', runId, agentCallId: `a${runId}`, usage, costUsd: 0.01 };
  yield { type: 'agent.finished', runId, agentCallId: `a${runId}`, role: 'coder', status: 'completed', result: text, usage, costUsd: 0.01 };
  yield { type: 'run.finished', runId, threadId: 't', status: 'completed', result: text, usage, costUsd: 0.01, durationMs: 1000 };
}

/** Feeds a run through the batcher as the controller does, letting the screen update between batches. */
async function playRun(store: { dispatch: (e: BatonEvent) => void }, runId: string, text: string): Promise<void> {
  const { DeltaBatcher } = await import('../src/cli/ui/batcher.js');
  const batcher = new DeltaBatcher(store.dispatch, 60_000);
  let n = 0;
  for (const e of runEvents(runId, text)) {
    batcher.push(e);
    if (e.type === 'text.delta' && ++n % DELTAS_PER_FLUSH === 0) {
      batcher.flush();
      await idle();
    }
  }
  batcher.flush();
  await idle();
}

export async function streamKbCpuMs(itemsBefore: number, answer?: string): Promise<number> {
  const { store, unmount } = await mountApp();
  try {
    for (let i = 0; i < itemsBefore; i++) {
      store.dispatch({ type: 'ui.output', text: `earlier item ${i}\nwith a second line` });
      if (i % 25 === 0) await idle();
    }
    store.dispatch({ type: 'ui.phase', phase: 'running' });
    await idle();
    const text = answer ?? answerText(STREAM_BYTES);
    const before = process.cpuUsage();
    await playRun(store, 'r-stream', text);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / (STREAM_BYTES / 1024);
  } finally {
    unmount();
  }
}

/** Memory of one session after `runs` runs; the heap is also taken half-way, to see whether it keeps growing. */
async function memoryAfterRuns(runs: number): Promise<{ before: number; after: number; heapHalf: number; heapAfter: number }> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const mb = (n: number) => n / 1024 / 1024;
  const heap = () => {
    gc();
    return mb(process.memoryUsage().heapUsed);
  };
  const { store, unmount } = await mountApp();
  try {
    await idle();
    heap();
    const before = mb(process.memoryUsage().rss);
    const text = answerText(2048);
    let heapHalf = 0;
    for (let i = 0; i < runs; i++) {
      store.dispatch({ type: 'ui.submitted', text: `prompt number ${i}` });
      store.dispatch({ type: 'ui.phase', phase: 'running' });
      await playRun(store, `r${i}`, text);
      store.dispatch({ type: 'ui.phase', phase: 'idle' });
      if (i === runs / 2 - 1) heapHalf = heap();
    }
    await idle();
    const heapAfter = heap();
    return { before, after: mb(process.memoryUsage().rss), heapHalf, heapAfter };
  } finally {
    unmount();
  }
}

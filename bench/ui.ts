/**
 * The interactive session's figures:
 *  - time to the first interactive frame (the prompt on a pseudo-terminal) vs `node -e 0` (target ≤ 3×),
 *    and until keys typed at once show in it, ink loaded and reading them (target ≤ 4×);
 *  - CPU time per streamed KB of answer text through the real UI (store, reducer, ink) with 100
 *    and 1,000 transcript items before it (target: 1,000 within 1.2× of 100: no quadratic re-rendering);
 *  - the same with a markdown answer rendered (marked, highlight.js) vs shown plain (target ≤ 1.2×);
 *  - resident memory of a real session (the built `baton` on a pseudo-terminal, answered by the fake
 *    Messages API) after 50 prompts, each a tool call and a markdown answer and its post-run analysis
 *    (target ≤ 130 MB).
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { BatonEvent } from '../src/core/events.js';
import { BATON_BIN } from '../test/support/cli.js';
import { routeBy, startFakeApi, textReply, toolReply } from '../test/support/fake-api.js';
import { makeTempRepo } from '../test/support/repo.js';
import { analysis, decision, isAnalysis, isCompaction, isDecision, isRole } from '../test/support/routes.js';
import { median, medianMs, type BenchRow } from './harness.js';

const FRAME_RUNS = 7;
const PROMPT_MARK = 'ask for a change';
const STREAM_BYTES = 1024 * 1024;
/** Deltas of the fake API's size; one screen update per this many (about one 50 ms batch of a fast stream). */
const DELTA_CHARS = 12;
const DELTAS_PER_FLUSH = 64;
const SESSION_PROMPTS = 50;
const SESSION_RSS_TARGET_MB = 130;

export default async function ui(): Promise<BenchRow[]> {
  const nodeMs = await medianMs(() => spawnSync(process.execPath, ['-e', '0']), FRAME_RUNS);
  const start = await startUpMs();
  // The production React build, as `baton` runs it.
  process.env.NODE_ENV = 'production';
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
  // Last: its fake API's journal (every request of 50 runs) would weigh on the in-process figures above.
  const memory = await sessionMemory(SESSION_PROMPTS);
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
    {
      name: `session RSS after ${SESSION_PROMPTS} prompts (pty)`,
      value: memory.after,
      unit: 'MB',
      baseline: { name: 'after 1', value: memory.first },
      target: `<= ${SESSION_RSS_TARGET_MB} MB`,
      ok: memory.after <= SESSION_RSS_TARGET_MB,
    },
    { name: `  after ${SESSION_PROMPTS / 2} prompts`, value: memory.half, unit: 'MB', baseline: { name: 'after 1', value: memory.first } },
  ];
}

/**
 * Spawns `baton` on a pseudo-terminal (util-linux `script`) and times, from the spawn, the prompt
 * being drawn and the first typed keys showing in it (typed as soon as the prompt is there).
 */
export async function startUpMs(): Promise<{ frame: number; echo: number }> {
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

/** The resident set of a process, in MB (Linux /proc). */
function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) / 1024;
}

/** The process `script` runs on the pty (its shell execs node): its one child. */
function ptyChild(script: number): number {
  const children = readFileSync(`/proc/${script}/task/${script}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  if (children.length !== 1) throw new Error(`expected one process under script, found ${children.length}`);
  return Number(children[0]);
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A markdown answer of about 1.5 KB: a heading, a list, a code block and a table, as models write them. */
function sessionAnswer(i: number): string {
  return [
    `## Answer ${i}`,
    '',
    `The greeting lives in **src/greet.js**; this is turn ${i} of the session, and the change is *small*.`,
    '',
    ...Array.from({ length: 6 }, (_, k) => `- step ${k + 1}: read \`src/greet${k}.js\`, keep the export and check the callers of greet${k}`),
    '',
    '```js',
    ...Array.from({ length: 12 }, (_, k) => `export const greet${k} = (name) => \`hello \${name} ${i}\`; // line ${k}`),
    '```',
    '',
    '| file | lines | note |',
    '|------|------:|------|',
    ...Array.from({ length: 5 }, (_, k) => `| src/greet${k}.js | ${k * 7 + i} | unchanged |`),
    '',
    'That is all for this one.',
  ].join('\n');
}

/**
 * RSS of one real interactive session: the built `baton` on a pseudo-terminal (util-linux `script`),
 * in a git repository, answered by the fake Messages API. Each prompt is typed, sent, and its run
 * (a decision, a file read, a markdown answer) and post-run analysis are waited for in the database.
 */
export async function sessionMemory(prompts: number): Promise<{ first: number; half: number; after: number }> {
  const repo = makeTempRepo({ 'src/greet.js': 'export const greet = () => "hello";\n' });
  const fake = await startFakeApi({
    script: routeBy({
      decision: { when: isDecision, replies: () => decision('direct', [{ role: 'coder', instructions: 'Do what the user asked' }]) },
      // Each run: read the file, then answer (the turn after a tool result ends with the answer).
      coder: {
        when: isRole('coder'),
        replies: (_req, n) => (n % 2 === 0 ? toolReply('read_file', { path: 'src/greet.js' }) : textReply(sessionAnswer((n - 1) / 2))),
      },
      analysis: { when: isAnalysis, replies: () => analysis('success') },
      compaction: { when: isCompaction, replies: () => textReply('The user asked about greet; it was explained.') },
    }),
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: fake.url,
    BATON_HOME: repo.home,
    BATON_RETRY_BASE_MS: '5',
    NO_COLOR: '1',
    TERM: 'xterm-256color',
  };
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION', 'NODE_OPTIONS']) delete env[k];
  const command = `stty rows 40 cols 100; exec '${process.execPath}' '${BATON_BIN}'`;
  const child: ChildProcessWithoutNullStreams = spawn('script', ['-qfec', command, '/dev/null'], { cwd: repo.root, env });
  // Only the output since the last prompt is kept (what the terminal shows is not measured here).
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out = (out + d).slice(-200_000);
  });
  let db: Database.Database | undefined;
  const count = (sql: string) => {
    if (!db && existsSync(join(repo.home, 'baton.db'))) db = new Database(join(repo.home, 'baton.db'), { readonly: true });
    return db ? (db.prepare(sql).pluck().get() as number) : 0;
  };
  try {
    await waitFor(() => out.includes(PROMPT_MARK), 'the prompt');
    const pid = ptyChild(child.pid!);
    let first = 0;
    let half = 0;
    for (let i = 0; i < prompts; i++) {
      const text = `explain greet, take ${i}`;
      out = '';
      child.stdin.write(text);
      await waitFor(() => out.includes(text), `prompt ${i} on the screen`);
      child.stdin.write('\r');
      await waitFor(() => count("SELECT count(*) FROM runs WHERE status = 'completed'") > i, `run ${i} to complete`);
      await waitFor(() => count('SELECT count(*) FROM analyses') > i, `the analysis of run ${i}`);
      if (i === 0) first = rssMb(pid);
      if (i === prompts / 2 - 1) half = rssMb(pid);
    }
    // The last run's screen updates and analysis writes settle.
    await new Promise((r) => setTimeout(r, 500));
    return { first, half, after: rssMb(pid) };
  } finally {
    db?.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
    await fake.close();
    repo.cleanup();
  }
}

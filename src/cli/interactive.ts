/**
 * `baton` without -p: the interactive session. The only entry that loads ink and react. The prompt
 * is drawn before they load (a plain-text first frame ink then replaces) and the engine loads
 * after, so the prompt appears as early as it can.
 */
import { join } from 'node:path';
import type { LlmClient } from '../llm/types.js';
import type { RunOptions } from '../core/run.js';
import type { Db } from '../store/db.js';
import type { McpRuntime } from '../orchestrator/mcp.js';
import { openTelemetry, type Telemetry } from '../telemetry/index.js';
import { SessionController } from './ui/controller.js';
import { sizeHeapForSession } from './ui/heap-sizing.js';
import { DISABLE_BRACKETED_PASTE, ENABLE_BRACKETED_PASTE } from './ui/keys.js';
import { ERASE_PRE_FRAME, preFrame, SHOW_CURSOR } from './ui/preframe.js';

export interface InteractiveArgs {
  db: Db;
  project: string;
  options: RunOptions;
  /** A thread id (or prefix), 'latest' for -c, 'pick' for -r without an id, undefined for a new thread. */
  thread?: string | 'latest' | 'pick' | undefined;
  /** Patterns retired by the config (src/extensions/config.ts). */
  disabledPatterns?: readonly string[] | undefined;
}

/** By project: a process has one session, but tests drive several. */
const mcpOpened = new Map<string, Promise<McpRuntime | undefined>>();

/**
 * The session's MCP servers: opened on the first run (only when some are configured), kept for the
 * whole session (its connections too), closed when it ends. Problems in the files wait for the run.
 */
export function sessionMcp(db: Db, project: string): Promise<McpRuntime | undefined> {
  let opened = mcpOpened.get(project);
  if (!opened) {
    opened = import('../orchestrator/extensions.js').then(async ({ mcpConfigured }) =>
      mcpConfigured(project) ? (await import('../orchestrator/mcp.js')).McpRuntime.open({ root: project, db, fallback: () => undefined }) : undefined,
    );
    mcpOpened.set(project, opened);
  }
  return opened;
}

export async function closeSessionMcp(): Promise<void> {
  const all = [...mcpOpened.values()];
  mcpOpened.clear();
  await Promise.all(all.map(async (o) => (await o.catch(() => undefined))?.close()));
}

/** How long a signal (terminal closed, kill) waits for the cancelled run to be recorded. */
const SIGNAL_GRACE_MS = 5000;

/** The session's controller, wired to the engine, the store and the prompt history (no terminal needed). */
export function createController(args: Omit<InteractiveArgs, 'thread'>, telemetry?: Telemetry): SessionController {
  const { db, project } = args;
  let client: Promise<LlmClient> | undefined;
  return new SessionController({
    db,
    project,
    options: args.options,
    async openSession(thread, options, onAnalysis) {
      const [{ openSession }, { makeClient }, { observeSession }] = await Promise.all([
        import('../orchestrator/session.js'),
        import('./client.js'),
        import('../telemetry/session.js'),
      ]);
      // The client is made on first use and kept; a failure (no key) is not kept, so a key set later works.
      const getClient = () =>
        (client ??= makeClient().catch((err: unknown) => {
          client = undefined;
          throw err;
        }));
      // The analysis starts right after the run, in the background: the prompt never waits for it.
      const extensions = async () => ({ disabledPatterns: args.disabledPatterns ?? [], mcp: await sessionMcp(db, project) });
      const session = await openSession({ db, project, options, thread }, { client: getClient, onAnalysis: (analyze) => onAnalysis(analyze()), extensions });
      return observeSession(session, telemetry);
    },
    listThreads: async () => (await import('../store/threads.js')).listThreads(db, project),
    loadHistory: async () => {
      const [{ PromptHistory }, { batonHome }] = await Promise.all([import('./ui/history.js'), import('../store/location.js')]);
      return PromptHistory.load(join(batonHome(), 'history.jsonl'), project);
    },
  });
}

export async function runInteractive(args: InteractiveArgs): Promise<number> {
  // React's development build is several times slower; a CLI runs the production one unless told otherwise.
  process.env.NODE_ENV ??= 'production';
  const { stdin, stdout } = process;
  // The thread picker is drawn by ink; everything else starts with the prompt.
  const early = args.thread !== 'pick' && stdin.isTTY && stdout.isTTY;
  if (early) {
    stdin.setRawMode(true); // typed keys wait unechoed until ink reads them
    stdout.write(ENABLE_BRACKETED_PASTE + preFrame(args.options.model, args.options.permissionMode, stdout.columns || 80));
  }
  let loaded: Awaited<ReturnType<typeof importInk>>;
  try {
    loaded = await importInk();
  } catch (err) {
    if (early) {
      stdout.write(ERASE_PRE_FRAME + SHOW_CURSOR + DISABLE_BRACKETED_PASTE);
      stdin.setRawMode(false);
    }
    throw err;
  }
  // react is CommonJS only: its exports are the default export (always so in the bundle).
  const [{ render }, { default: react }, { App }] = loaded;
  const { createElement } = react;
  // Its SDK loads beside ink; its one notice (an unreachable collector) waits until the screen is left.
  const notices: string[] = [];
  const telemetry = openTelemetry({ db: args.db, notice: (m) => notices.push(m) });
  const controller = createController(args, telemetry);
  const onSignal = () => {
    controller.exit(130);
    setTimeout(() => process.exit(130), SIGNAL_GRACE_MS).unref();
  };
  const signals = ['SIGHUP', 'SIGTERM', 'SIGINT'] as const;
  for (const s of signals) process.on(s, onSignal);
  stdout.write(early ? ERASE_PRE_FRAME : ENABLE_BRACKETED_PASTE);
  const ink = render(createElement(App, { controller }), { exitOnCtrlC: false });
  // Only now: while ink loaded, a young generation still free to grow meant fewer GCs before the first keys show.
  sizeHeapForSession();
  try {
    void controller.start(args.thread);
    return await controller.exited;
  } finally {
    // Let the closing state reach the screen (React renders in a microtask of its own) before unmounting.
    await new Promise((r) => setImmediate(r));
    ink.unmount();
    await ink.waitUntilExit().catch(() => undefined);
    stdout.write(DISABLE_BRACKETED_PASTE);
    for (const s of signals) process.off(s, onSignal);
    await closeSessionMcp();
    await telemetry?.close();
    for (const m of notices) process.stderr.write(`baton: ${m}\n`);
  }
}

/**
 * ink renders only a final frame, and reads no keys live, when it believes it runs in CI (its
 * is-in-ci reads CI when ink is imported). This path only runs on a real terminal, so ink is
 * imported with CI hidden; the variables are restored at once for everything else (bash tools).
 */
export async function importInk() {
  const names = ['CI', 'CONTINUOUS_INTEGRATION'] as const;
  const saved = names.map((n) => process.env[n]);
  for (const n of names) delete process.env[n];
  // ink's layout engine (yoga, WebAssembly in a base64 data: URL) is decoded with fetch() when there
  // is one: that loads Node's whole fetch implementation (undici) only to read a data: URL, about
  // 40 ms before the first keys show. Without a global fetch it decodes the same bytes itself.
  const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (fetch?.configurable) delete (globalThis as { fetch?: unknown }).fetch;
  try {
    return await Promise.all([import('ink'), import('react'), import('./ui/App.js')]);
  } finally {
    if (fetch?.configurable) Object.defineProperty(globalThis, 'fetch', fetch);
    names.forEach((n, i) => {
      if (saved[i] !== undefined) process.env[n] = saved[i];
    });
  }
}

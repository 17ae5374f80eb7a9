/**
 * Drives one interactive session: opens the thread, starts runs whose events feed the UI store,
 * asks for permissions, resumes runs waiting for an answer, cancels, cycles the permission mode,
 * runs slash commands, and decides when the session ends. Components call its methods and render
 * the store.
 */
import { errorMessage } from '../../core/errors.js';
import type { PermissionAnswer } from '../../core/events.js';
import type { Session } from '../../orchestrator/session-types.js';
import type { PermissionMode, PermissionRequest, RunHooks, RunOptions, RunOutcome } from '../../core/run.js';
import type { Db } from '../../store/db.js';
import { loadMarkdown } from '../render/load.js';
import { DeltaBatcher } from './batcher.js';
import { parseSlash, runSlash, type CommandHost } from './commands.js';
import { oneLine } from './format.js';
import type { PromptHistory } from './history.js';
import type { ThreadChoice, UiAction, UiState } from './state.js';
import { initialState } from './state.js';
import { UiStore } from './store.js';

const modeCycle: readonly PermissionMode[] = ['ask', 'accept-edits', 'bypass', 'read-only'];
/** Two Ctrl-C presses at an empty prompt within this window exit. */
const EXIT_WINDOW_MS = 1500;
/** How long leaving waits for post-run analyses still being written. */
const ANALYSIS_WAIT_MS = 5000;

export interface ControllerDeps {
  db: Db;
  project: string;
  options: RunOptions;
  /** `onAnalysis` receives each run's post-run analysis, which goes on after the run returns. */
  openSession(thread: string | 'latest' | undefined, options: RunOptions, onAnalysis: (analysis: Promise<void>) => void): Promise<Session>;
  listThreads(): Promise<ThreadChoice[]>;
  loadHistory?(): Promise<PromptHistory>;
}

interface PendingPermission {
  req: PermissionRequest;
  resolve(answer: PermissionAnswer): void;
}

export class SessionController implements CommandHost {
  readonly store: UiStore;
  readonly db: Db;
  readonly project: string;
  /** Resolves with the exit code once the session should end; rejects when it cannot start (e.g. an unknown thread). */
  readonly exited: Promise<number>;

  private current: Session | undefined;
  private opening: Promise<Session | undefined> | undefined;
  private active: { abort: AbortController; done: Promise<void> } | undefined;
  private readonly permissions: PendingPermission[] = [];
  private readonly analyses = new Set<Promise<void>>();
  private history: PromptHistory | undefined;
  private lastCtrlC = -Infinity;
  private hintTimer: NodeJS.Timeout | undefined;
  private exiting = false;
  private resolveExit!: (code: number) => void;
  private rejectExit!: (err: unknown) => void;
  /** The options the next session opens with; /model and the mode key change them too. */
  private readonly options: RunOptions;

  constructor(private readonly deps: ControllerDeps) {
    this.db = deps.db;
    this.project = deps.project;
    this.options = { ...deps.options };
    this.store = new UiStore(initialState(this.options.model, this.options.permissionMode));
    this.exited = new Promise((resolve, reject) => {
      this.resolveExit = resolve;
      this.rejectExit = reject;
    });
  }

  state = (): UiState => this.store.getState();
  session = (): Session | undefined => this.current;
  private dispatch = (action: UiAction): void => this.store.dispatch(action);
  print = (text: string): void => this.dispatch({ type: 'ui.output', text: text.trimEnd() });
  notice = (level: 'info' | 'warn' | 'error', text: string): void => this.dispatch({ type: 'ui.notice', level, text });

  /**
   * Starts the session: an existing thread (latest, given, or picked) opens now, to show its
   * transcript and a run waiting for an answer; a new thread opens with its first prompt, so the
   * engine loads while the user types and quitting at once leaves no empty thread behind.
   */
  async start(thread: string | 'latest' | 'pick' | undefined): Promise<void> {
    void this.deps.loadHistory?.().then((h) => (this.history = h));
    if (thread === undefined) return this.dispatch({ type: 'ui.phase', phase: 'idle' });
    if (thread !== 'pick') return this.openNow(thread);
    const threads = await this.deps.listThreads();
    if (threads.length === 0) {
      this.notice('info', 'no threads in this project yet; a new one starts with your first prompt');
      return this.dispatch({ type: 'ui.phase', phase: 'idle' });
    }
    this.dispatch({ type: 'ui.threads', threads });
    this.dispatch({ type: 'ui.phase', phase: 'picking' });
  }

  /** The picker's answer: a thread id, or undefined (Esc) to leave. */
  pick(threadId: string | undefined): Promise<void> {
    this.dispatch({ type: 'ui.threads', threads: undefined });
    if (threadId === undefined) {
      this.exit();
      return Promise.resolve();
    }
    return this.openNow(threadId);
  }

  private async openNow(thread: string | 'latest'): Promise<void> {
    this.dispatch({ type: 'ui.phase', phase: 'starting' });
    if (await this.ready(thread)) this.dispatch({ type: 'ui.phase', phase: 'idle' });
  }

  /** The session, opened on first use; undefined when it cannot open (the session then ends with the error). */
  private ready(thread?: string | 'latest'): Promise<Session | undefined> {
    // The markdown renderer loads with the engine, so a restored transcript and a run's words render.
    this.opening ??= Promise.all([this.deps.openSession(thread, this.options, (a) => this.trackAnalysis(a)), loadRenderer()]).then(
      ([session]) => {
        this.current = session;
        this.dispatch({ type: 'ui.session', threadId: session.threadId, transcript: session.transcript() });
        this.offerWaitingRun(session);
        return session;
      },
      (err: unknown) => {
        this.exiting = true;
        this.dispatch({ type: 'ui.phase', phase: 'closed' });
        this.rejectExit(err);
        return undefined;
      },
    );
    return this.opening;
  }

  private offerWaitingRun(session: Session): void {
    const waiting = session.waitingRun();
    if (!waiting) return;
    this.notice('info', `run ${waiting.runId} ("${oneLine(waiting.prompt, 60)}") is waiting for your answer`);
    const { runId, questionId, question, options } = waiting;
    this.dispatch({ type: 'ui.ask', ask: { kind: 'question', req: { runId, questionId, question, options } } });
  }

  historyEntries(): readonly string[] {
    return this.history?.entries ?? [];
  }

  /**
   * Enter in the prompt editor: the text is sent, or, while a run or command is going, queued
   * (type-ahead) to be sent after it, in order, in the same thread.
   */
  trySubmit(text: string): boolean {
    const prompt = text.trim();
    if (!prompt) return false;
    if (this.active) {
      this.history?.add(prompt);
      this.dispatch({ type: 'ui.queue', queue: [...this.state().queue, prompt] });
      return true;
    }
    void this.submit(prompt);
    return true;
  }

  /** ↑ at an empty prompt while prompts are queued: the last one comes back to be edited. */
  takeLastQueued(): string | undefined {
    const queue = this.state().queue;
    if (queue.length === 0) return undefined;
    this.dispatch({ type: 'ui.queue', queue: queue.slice(0, -1) });
    return queue.at(-1);
  }

  /** Sends the next queued prompt once nothing runs and nothing waits for an answer. */
  private drainQueue(): void {
    if (this.active || this.exiting || this.state().ask) return;
    const [next, ...rest] = this.state().queue;
    if (next === undefined) return;
    this.dispatch({ type: 'ui.queue', queue: rest });
    void this.submit(next, { queued: true });
  }

  /** The queue goes back into the prompt editor (a cancelled run's follow-ups are for the user to edit). */
  private recallQueue(): void {
    const queue = this.state().queue;
    if (queue.length === 0) return;
    this.dispatch({ type: 'ui.queue', queue: [] });
    this.dispatch({ type: 'ui.recall', text: queue.join('\n') });
  }

  /** A prompt: a slash command or a new run. */
  async submit(text: string, how: { queued?: boolean } = {}): Promise<void> {
    const prompt = text.trim();
    if (!prompt) return;
    this.dispatch({ type: 'ui.hint', hint: undefined });
    if (!how.queued) this.history?.add(prompt);
    if (parseSlash(prompt)) {
      this.dispatch({ type: 'ui.submitted', text: prompt });
      await runSlash(this, prompt);
      this.drainQueue();
      return;
    }
    if (this.active) return;
    this.dispatch({ type: 'ui.submitted', text: prompt });
    await this.track('running', async (hooks, signal) => (await this.ready())?.run(prompt, hooks, signal));
  }

  /**
   * Runs `work` as the one active operation: the phase shows it, Esc/Ctrl-C abort it, its events
   * reach the store (text batched), and failures become one line in the transcript.
   */
  private async track(phase: 'running' | 'busy', work: (hooks: RunHooks, signal: AbortSignal) => Promise<unknown>, busy?: string): Promise<void> {
    const abort = new AbortController();
    const batcher = new DeltaBatcher(this.dispatch);
    // No askUser: a question leaves the run waiting_user on disk and returns, so a session that
    // ends before the answer leaves it waiting, and `baton -c` offers it again.
    const hooks: RunHooks = { emit: batcher.push, askPermission: (req) => this.askPermission(req, abort.signal) };
    this.dispatch({ type: 'ui.phase', phase, busy });
    let settle!: () => void;
    this.active = { abort, done: new Promise((r) => (settle = r)) };
    let outcome: RunOutcome | undefined;
    try {
      await loadRenderer();
      outcome = (await work(hooks, abort.signal)) as RunOutcome | undefined;
    } catch (err) {
      this.notice('error', abort.signal.aborted ? 'cancelled' : oneLine(errorMessage(err), 300));
    } finally {
      batcher.flush();
      this.active = undefined;
      for (const pending of this.permissions.splice(0)) pending.resolve('deny');
      this.dispatch({ type: 'ui.ask', ask: undefined });
      this.dispatch({ type: 'ui.phase', phase: 'idle' });
      settle();
    }
    const q = outcome?.status === 'waiting_user' ? outcome.question : undefined;
    if (q)
      this.dispatch({ type: 'ui.ask', ask: { kind: 'question', req: { runId: outcome!.runId, questionId: q.id, question: q.question, options: q.options } } });
    // Type-ahead: the next queued prompt follows (a question asked first waits for its answer).
    this.drainQueue();
  }

  /** Permission requests are shown one at a time, in order; cancelling the run denies those still open. */
  private askPermission(req: PermissionRequest, signal: AbortSignal): Promise<PermissionAnswer> {
    return new Promise((resolve) => {
      const pending = {
        req,
        resolve: (answer: PermissionAnswer) => {
          signal.removeEventListener('abort', withdraw);
          const i = this.permissions.indexOf(pending);
          if (i >= 0) this.permissions.splice(i, 1);
          resolve(answer);
          this.showAsk();
        },
      };
      const withdraw = () => pending.resolve('deny');
      if (signal.aborted) return resolve('deny');
      signal.addEventListener('abort', withdraw, { once: true });
      this.permissions.push(pending);
      this.showAsk();
    });
  }

  private showAsk(): void {
    const head = this.permissions[0];
    this.dispatch({ type: 'ui.ask', ask: head && { kind: 'permission', req: head.req } });
  }

  answerPermission(answer: PermissionAnswer): void {
    this.permissions[0]?.resolve(answer);
  }

  /** The answer to the question a run is waiting on: it resumes that run. */
  answerQuestion(answer: string): void {
    const ask = this.state().ask;
    const session = this.current;
    if (ask?.kind !== 'question' || !session || this.active) return;
    this.dispatch({ type: 'ui.ask', ask: undefined });
    this.dispatch({ type: 'ui.answered', question: ask.req.question, answer });
    void this.track('running', (hooks, signal) => session.answer(ask.req.runId, answer, hooks, signal));
  }

  /**
   * Esc: cancels the run (prompts queued behind it go back to the editor), or leaves a run that
   * asked a question waiting for a later answer.
   */
  escape(): void {
    if (this.active) {
      this.recallQueue();
      return this.cancel();
    }
    const ask = this.state().ask;
    if (ask?.kind === 'question') {
      this.dispatch({ type: 'ui.ask', ask: undefined });
      this.notice('info', `run ${ask.req.runId} stays waiting; answer it later with baton -c or baton answer ${ask.req.runId} "<text>"`);
      this.drainQueue();
    }
  }

  cancel(): void {
    if (!this.active || this.active.abort.signal.aborted) return;
    this.active.abort.abort();
    this.dispatch({ type: 'ui.phase', phase: 'cancelling' });
  }

  /**
   * Ctrl-C: cancels a run (and drops the prompts queued behind it; ↑ finds them in the history);
   * otherwise clears the typed text ('clear', done by the editor); at an empty prompt shows a hint.
   * A second press within EXIT_WINDOW_MS of a cancel or the hint exits.
   */
  interrupt(promptEmpty: boolean, now = Date.now()): 'cancel' | 'clear' | 'hint' | 'exit' {
    if (this.active && !this.active.abort.signal.aborted) {
      const dropped = this.state().queue.length;
      if (dropped) {
        this.dispatch({ type: 'ui.queue', queue: [] });
        this.notice('info', `${dropped === 1 ? '1 queued prompt' : `${dropped} queued prompts`} dropped (↑ recalls them)`);
      }
      this.cancel();
      this.armExit(now);
      return 'cancel';
    }
    if (!promptEmpty) return 'clear';
    if (now - this.lastCtrlC < EXIT_WINDOW_MS) {
      this.exit();
      return 'exit';
    }
    this.armExit(now);
    return 'hint';
  }

  private armExit(now: number): void {
    this.lastCtrlC = now;
    this.dispatch({ type: 'ui.hint', hint: 'press Ctrl-C again to exit' });
    clearTimeout(this.hintTimer);
    this.hintTimer = setTimeout(() => this.dispatch({ type: 'ui.hint', hint: undefined }), EXIT_WINDOW_MS);
    this.hintTimer.unref();
  }

  /** Shift-Tab: ask → accept-edits → bypass → read-only → ask; applies from the next tool decision the engine makes with these options. */
  cycleMode(): PermissionMode {
    const mode = modeCycle[(modeCycle.indexOf(this.options.permissionMode) + 1) % modeCycle.length]!;
    this.options.permissionMode = mode;
    if (this.current) this.current.options.permissionMode = mode;
    this.dispatch({ type: 'ui.mode', mode });
    return mode;
  }

  setModel(model: string): void {
    this.options.model = model;
    if (this.current) this.current.options.model = model;
    this.dispatch({ type: 'ui.model', model });
  }

  /** /clear: a clean screen, and the next prompt starts a new thread. */
  newThread(): Promise<void> {
    this.dispatch({ type: 'ui.clear' });
    this.current = undefined;
    this.opening = undefined;
    return Promise.resolve();
  }

  /** /compact: summarise the thread's older turns now. */
  async compact(): Promise<void> {
    const session = await this.opening;
    if (!session) return this.print('nothing to compact yet');
    await this.track(
      'busy',
      async (_hooks, signal) => {
        const { before, after } = await session.compact(signal);
        this.print(before === after ? 'nothing to compact yet' : `thread compacted: ${before} → ${after} characters of context`);
      },
      'compacting the thread',
    );
  }

  private trackAnalysis(analysis: Promise<void>): void {
    const tracked: Promise<void> = analysis.catch(() => undefined).finally(() => this.analyses.delete(tracked));
    this.analyses.add(tracked);
  }

  /**
   * Ends the session: a run still going is cancelled first, so nothing is left half-written, and
   * post-run analyses still being written get a few seconds to finish.
   */
  exit(code = 0): void {
    if (this.exiting) return;
    this.exiting = true;
    this.active?.abort.abort();
    void (async () => {
      await this.active?.done;
      if (this.analyses.size > 0) {
        this.dispatch({ type: 'ui.hint', hint: 'finishing the post-run analysis…' });
        const wait = new Promise((r) => setTimeout(r, ANALYSIS_WAIT_MS).unref());
        await Promise.race([Promise.all(this.analyses), wait]);
      }
      this.finish(code);
    })();
  }

  private finish(code: number): void {
    clearTimeout(this.hintTimer);
    this.dispatch({ type: 'ui.phase', phase: 'closed' });
    this.resolveExit(code);
  }
}

/** The markdown renderer, loaded on the first run (not before the first frame); without it text shows plain. */
function loadRenderer(): Promise<unknown> {
  return loadMarkdown().catch(() => undefined);
}

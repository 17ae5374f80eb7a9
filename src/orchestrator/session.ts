/**
 * A session on one thread: what print mode and the interactive UI drive. Follow-up prompts reuse
 * the thread (the orchestrator sees its summary and last turns); long threads are compacted.
 */
import { UserError } from '../core/errors.js';
import type { LlmClient } from '../llm/types.js';
import { openJournal } from '../store/journal.js';
import { questionOptions } from '../store/questions.js';
import { sweepInterrupted } from '../store/runs.js';
import { createThread, getThread, latestThread, resolveThread, setThreadSummary, threadMessages, type ThreadRow } from '../store/threads.js';
import { resumeRun, startRun, type StartedRun } from './run.js';
import type { OpenSessionOptions, Session, WaitingRun } from './session-types.js';
import type { RunHooks, RunOutcome } from '../core/run.js';
import type { RunExtensions } from './extensions.js';

/** Unsummarised thread text beyond this many characters (~50k tokens) is compacted before the next run. */
const COMPACT_AT_CHARS = 200_000;
/** Turns kept verbatim after a compaction. */
const KEEP_TURNS = 4;

export interface SessionDeps {
  /** Created on first use, so a session without an API key still opens (and says how to set one when a prompt runs). */
  client: () => Promise<LlmClient>;
  /** Given each finished run's analysis to start; the default runs it in the background. */
  onAnalysis?: (analyze: () => Promise<void>) => void;
  /** The config's retired patterns and the process's MCP servers, asked for at each run's start. */
  extensions?: () => Promise<RunExtensions | undefined>;
}

export async function openSession(opts: OpenSessionOptions, deps: SessionDeps): Promise<Session> {
  const { db, project } = opts;
  sweepInterrupted(db, project);
  let thread: ThreadRow;
  if (opts.thread === 'latest') thread = latestThread(db, project) ?? createThread(db, project);
  else if (opts.thread) thread = resolveThread(db, project, opts.thread);
  else thread = createThread(db, project);

  const track = (started: StartedRun): RunOutcome => {
    if (started.analyze) (deps.onAnalysis ?? ((analyze) => void analyze()))(started.analyze);
    return started.outcome;
  };
  const runDeps = async (hooks: RunHooks, signal: AbortSignal) => ({
    db,
    client: await deps.client(),
    root: project,
    hooks,
    signal,
    extensions: await deps.extensions?.(),
  });

  const session: Session = {
    db,
    project,
    threadId: thread.id,
    options: { ...opts.options },
    async run(prompt, hooks, signal) {
      const d = await runDeps(hooks, signal);
      await compactThread(session, d.client, signal, false);
      return track(await startRun(d, { threadId: thread.id, prompt, options: { ...session.options } }));
    },
    async answer(runId, answer, hooks, signal) {
      return track(await resumeRun(await runDeps(hooks, signal), runId, answer));
    },
    waitingRun(): WaitingRun | undefined {
      const journal = openJournal(db);
      const run = journal.waitingRunOfThread(thread.id);
      const q = run && journal.pendingQuestion(run.id);
      if (!run || !q) return undefined;
      return { runId: run.id, prompt: run.prompt, questionId: q.id, question: q.question, options: questionOptions(q) };
    },
    async compact(signal) {
      return compactThread(session, await deps.client(), signal, true);
    },
    transcript() {
      return threadMessages(db, thread.id).map((m) => ({ role: m.role, content: m.content, runId: m.run_id ?? undefined }));
    },
  };
  return session;
}

/**
 * Folds older turns into the thread's summary, keeping the last few verbatim. Only the thread's
 * messages are summarised: decisions, agent calls and analyses stay whole in the store.
 */
async function compactThread(session: Session, client: LlmClient, signal: AbortSignal, force: boolean): Promise<{ before: number; after: number }> {
  const thread = getThread(session.db, session.threadId);
  if (!thread) throw new UserError(`thread ${session.threadId} no longer exists`);
  const messages = threadMessages(session.db, thread.id, thread.summary_upto);
  const size = messages.reduce((n, m) => n + m.content.length, 0) + (thread.summary?.length ?? 0);
  if (!force && size < COMPACT_AT_CHARS) return { before: size, after: size };
  const older = messages.slice(0, Math.max(0, messages.length - KEEP_TURNS * 2));
  if (older.length === 0) return { before: size, after: size };
  const transcript = older.map((m) => `${m.role === 'user' ? 'User' : 'Assistant'}: ${m.content}`).join('\n\n');
  const res = await client.call({
    model: session.options.orchestratorModel,
    system:
      'Summarise this conversation between a user and a coding assistant for the assistant\u2019s future turns: goals, decisions, files touched, open items. Be dense; no preamble.',
    messages: [{ role: 'user', content: `${thread.summary ? `Earlier summary:\n${thread.summary}\n\n` : ''}${transcript}` }],
    maxTokens: 2_000,
    effort: 'low',
    cacheTurns: false,
    signal,
  });
  const summary = res.content
    .filter((b) => b.type === 'text')
    .map((b) => (b as { text: string }).text)
    .join('\n')
    .trim();
  if (!summary) return { before: size, after: size };
  setThreadSummary(session.db, thread.id, summary, older.at(-1)!.id);
  const after = summary.length + messages.slice(older.length).reduce((n, m) => n + m.content.length, 0);
  return { before: size, after };
}

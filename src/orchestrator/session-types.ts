import type { Db } from '../store/db.js';
import type { RunHooks, RunOptions, RunOutcome } from '../core/run.js';

/** A waiting run, offered again on `baton -c`. */
export interface WaitingRun {
  runId: string;
  prompt: string;
  questionId: string;
  question: string;
  options?: string[] | undefined;
}

/**
 * One terminal session on one thread: what the interactive UI (and print mode) drive.
 * `run` starts a user run for a prompt; follow-ups reuse the thread's context.
 */
export interface Session {
  readonly db: Db;
  readonly project: string;
  readonly threadId: string;
  /** Mutable: /model and the permission-mode key change them for the next run. */
  readonly options: RunOptions;
  run(prompt: string, hooks: RunHooks, signal: AbortSignal): Promise<RunOutcome>;
  /** Answers the question a waiting run asked, and lets it finish. */
  answer(runId: string, answer: string, hooks: RunHooks, signal: AbortSignal): Promise<RunOutcome>;
  /** The newest run of this thread that waits for the user, if any. */
  waitingRun(): WaitingRun | undefined;
  /** Summarises older turns of the thread into its summary (the OrchestrationContext is kept apart). */
  compact(signal: AbortSignal): Promise<{ before: number; after: number }>;
  /** Transcript of the thread so far (user prompts and final answers), oldest first. */
  transcript(): { role: 'user' | 'assistant'; content: string; runId?: string | undefined }[];
}

export interface OpenSessionOptions {
  db: Db;
  project: string;
  options: RunOptions;
  /** A thread id (or unique prefix) to resume; 'latest' for `-c`; undefined for a new thread. */
  thread?: string | 'latest' | undefined;
}

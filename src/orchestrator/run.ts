/**
 * The lifecycle of one user run: record it, decide, run the chosen pattern, record the outcome,
 * and start the post-run analysis (which the caller may await or leave in the background).
 * A run's state is written before anything that depends on it is shown.
 */
import { Budget } from '../agents/budget.js';
import { ExitCode, UserError, errorMessage } from '../core/errors.js';
import type { RunStatus } from '../core/events.js';
import type { LlmClient } from '../llm/types.js';
import { LlmError } from '../llm/types.js';
import { patterns } from '../patterns/registry.js';
import { allTools, toolDefinitions } from '../tools/registry.js';
import type { PatternResult } from '../patterns/types.js';
import type { Db } from '../store/db.js';
import { openJournal } from '../store/journal.js';
import { questionOptions } from '../store/questions.js';
import { runOptions, runUsage, type RunRow } from '../store/runs.js';
import { OrchestrationContext, WaitingForUser } from './context.js';
import type { RunHooks, RunOptions, RunOutcome } from '../core/run.js';
import { openCheckpointer } from '../git/checkpoint.js';
import { repositoryFacts, formatRepoFacts } from '../git/facts.js';
import { analyzeRun } from '../learning/analysis.js';
import { freshWarnings, loadExtensions, type RunExtensions } from './extensions.js';

export interface RunDeps {
  db: Db;
  client: LlmClient;
  /** The project root (git top level or cwd); the tools are confined to it. */
  root: string;
  hooks: RunHooks;
  signal: AbortSignal;
  /** The config's retired patterns and the process's MCP servers (agent files and playbooks are read per run). */
  extensions?: RunExtensions | undefined;
}

export interface StartedRun {
  outcome: RunOutcome;
  /**
   * Starts the post-run analysis; resolves when it is written (never rejects). The caller chooses
   * to await it, leave it in the background, or hand it to another process. Absent while the run waits.
   */
  analyze?: (() => Promise<void>) | undefined;
}

/** Starts a new run for a prompt on a thread. */
export async function startRun(deps: RunDeps, args: { threadId: string; prompt: string; options: RunOptions }): Promise<StartedRun> {
  const journal = openJournal(deps.db);
  const run = journal.createRun({ threadId: args.threadId, project: deps.root, prompt: args.prompt, options: args.options });
  journal.appendMessage(args.threadId, run.id, 'user', args.prompt);
  return executeRun(deps, run, args.options, false);
}

/**
 * Resumes a run that waits for the user (with their answer) or was interrupted: finished work
 * is replayed from the store, so it continues at the first unfinished step.
 */
export async function resumeRun(deps: RunDeps, runId: string, answer?: string): Promise<StartedRun> {
  const journal = openJournal(deps.db);
  const run = journal.getRun(runId);
  if (!run) throw new UserError(`no run ${runId}`);
  if (run.status === 'waiting_user') {
    const q = journal.pendingQuestion(run.id);
    if (q && answer === undefined) throw new UserError(`run ${run.id} waits for an answer: baton answer ${run.id} "<text>"`);
    if (q && answer !== undefined) journal.answerQuestion(q.id, answer);
  } else if (run.status === 'interrupted' || run.status === 'running') {
    if (answer !== undefined) throw new UserError(`run ${run.id} is not waiting for an answer (it is ${run.status})`);
  } else {
    throw new UserError(`run ${run.id} is ${run.status}; only a waiting or interrupted run can be resumed`, ExitCode.usage);
  }
  journal.claimRun(run.id);
  return executeRun(deps, run, runOptions(run), true);
}

async function executeRun(deps: RunDeps, run: RunRow, options: RunOptions, resumed: boolean): Promise<StartedRun> {
  const { db, client, root, hooks, signal } = deps;
  const journal = openJournal(db);
  const started = Date.now();
  hooks.emit({ type: 'run.started', runId: run.id, threadId: run.thread_id, prompt: run.prompt, resumed });

  // Git runs in child processes: load the SDK meanwhile instead of on the first model call.
  const checkpointerReady = openCheckpointer({
    db,
    root,
    runId: run.id,
    emitNotice: (message, level = 'info') => hooks.emit({ type: 'notice', runId: run.id, level, message }),
  });
  const factsReady = repositoryFacts(root);
  client.warm?.();
  const notice = (message: string) => hooks.emit({ type: 'notice', runId: run.id, level: 'warn', message });
  const extensions = await loadExtensions(root, deps.extensions).catch((err: unknown) => {
    notice(`extensions not loaded: ${errorMessage(err)}`);
    return undefined;
  });
  for (const line of freshWarnings(extensions?.warnings ?? [])) notice(line);
  const mcp = deps.extensions?.mcp;
  mcp?.attach(notice);
  const checkpointer = await checkpointerReady;
  const repoFacts = formatRepoFacts(await factsReady);
  const budget = new Budget(options.maxBudgetUsd);
  const ctx = new OrchestrationContext({
    journal,
    client,
    run,
    root,
    repoFacts,
    hooks,
    signal,
    options,
    budget,
    beforeChange: () => checkpointer.ensureSnapshot(),
    extensions,
    mcp,
  });

  let result: PatternResult;
  let question: RunOutcome['question'];
  try {
    const decided = ctx.initialDecision();
    // While the decision is in flight, derive the tool definitions every agent sends (cached), so
    // the first agent request follows the decision without that work in between.
    toolDefinitions(allTools.map((t) => t.name));
    await decided;
    journal.setRunPattern(run.id, ctx.decision.pattern);
    result = await patterns[ctx.decision.pattern](ctx);
  } catch (err) {
    if (err instanceof WaitingForUser) {
      question = { id: err.question.id, question: err.question.question, options: questionOptions(err.question) };
      result = { status: 'completed' };
    } else if (signal.aborted || (err instanceof LlmError && err.kind === 'aborted')) {
      result = { status: 'cancelled', error: 'cancelled by the user' };
    } else {
      result = { status: 'failed', error: errorMessage(err) };
    }
  } finally {
    mcp?.detach();
  }

  const status: RunStatus = question ? 'waiting_user' : result.status;
  // Files first, then the run row: a run recorded as finished has its changes recorded too.
  if (!question) {
    try {
      const changes = await checkpointer.finish();
      if (changes && options.autoCommit && status === 'completed') {
        await checkpointer.autoCommit({ prompt: run.prompt, result: result.result ?? '' }); // emits its own notice
      }
    } catch (err) {
      hooks.emit({ type: 'notice', runId: run.id, level: 'warn', message: `git: ${errorMessage(err)}` });
    }
  }
  journal.finishRun(run.id, status, result.result, result.error);
  if (!question) journal.appendMessage(run.thread_id, run.id, 'assistant', result.result ?? `(${status}: ${result.error ?? 'no answer'})`);

  const row = journal.getRun(run.id)!;
  const usage = runUsage(row);
  const outcome: RunOutcome = {
    runId: run.id,
    threadId: run.thread_id,
    status,
    result: result.result,
    error: result.error,
    question,
    pattern: ctx.decision?.pattern,
    usage,
    costUsd: row.cost_usd,
    durationMs: Date.now() - started,
  };
  hooks.emit({
    type: 'run.finished',
    runId: run.id,
    threadId: run.thread_id,
    status,
    result: result.result,
    error: result.error,
    usage,
    costUsd: row.cost_usd,
    durationMs: outcome.durationMs,
  });
  if (question) return { outcome };
  return { outcome, analyze: () => analyze(deps, run.id, options) };
}

/** The post-mortem: never throws, never blocks the caller unless it chooses to await. */
async function analyze(deps: RunDeps, runId: string, options: RunOptions): Promise<void> {
  try {
    const record = await analyzeRun({ db: deps.db, client: deps.client, runId, model: options.orchestratorModel });
    deps.hooks.emit({ type: 'analysis.done', runId, outcome: record.outcome, summary: record.summary, lessons: record.lessons });
  } catch (err) {
    deps.hooks.emit({ type: 'notice', runId, level: 'warn', message: `analysis failed: ${errorMessage(err)}` });
  }
}

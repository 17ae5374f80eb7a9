import type { Command } from 'commander';
import { ExitCode } from '../core/errors.js';
import { pendingQuestion, questionOptions } from '../store/questions.js';
import { resolveRun, sweepInterrupted } from '../store/runs.js';
import { commandContext } from './globals.js';

/** `baton status <run>`: one run's state; exit 3 while it waits for the user. */
export function runStatus(cmd: Command, runArg: string, json: boolean): number {
  const { db } = commandContext(cmd);
  sweepInterrupted(db);
  const run = resolveRun(db, runArg);
  const q = run.status === 'waiting_user' ? pendingQuestion(db, run.id) : undefined;
  const body = {
    run_id: run.id,
    thread_id: run.thread_id,
    status: run.status,
    pattern: run.pattern,
    prompt: run.prompt,
    result: run.result,
    error: run.error,
    cost_usd: run.cost_usd,
    question: q?.question ?? null,
    options: q ? (questionOptions(q) ?? []) : [],
  };
  if (json) process.stdout.write(`${JSON.stringify(body)}\n`);
  else {
    const lines = [`${run.id}  ${run.status}${run.pattern ? `  (${run.pattern})` : ''}`, `prompt: ${run.prompt}`];
    if (q) lines.push(`question: ${q.question}${body.options.length ? ` [${body.options.join(' / ')}]` : ''}`, `answer with: baton answer ${run.id} "<text>"`);
    if (run.status === 'interrupted') lines.push(`resume with: baton resume ${run.id}`);
    if (run.error) lines.push(`error: ${run.error}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return run.status === 'waiting_user' ? ExitCode.waitingUser : ExitCode.ok;
}

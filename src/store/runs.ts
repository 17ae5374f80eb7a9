import { hostname } from 'node:os';
import * as z from '../core/zod.js';
import type { RunStatus } from '../core/events.js';
import { UserError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Usage } from '../core/usage.js';
import { INTERRUPTED_TOOL_RESULT, type RunOptions } from '../core/run.js';
import { interruptToolCalls } from './agent-calls.js';
import { immediate, now, type Db } from './db.js';
import { parseStored } from './json.js';
import { rowsByIdPrefix } from './prefix.js';

export interface RunRow {
  id: string;
  thread_id: string;
  project: string;
  prompt: string;
  status: RunStatus;
  pattern: string | null;
  result: string | null;
  error: string | null;
  model: string;
  orchestrator_model: string | null;
  permission_mode: string;
  options_json: string;
  owner_pid: number | null;
  owner_host: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
  started_at: number;
  finished_at: number | null;
  /** The playbook whose steps the run carried out: its id, path and the sha256 of its text. */
  playbook?: string | null;
  playbook_file?: string | null;
  playbook_hash?: string | null;
}

/** RunOptions as stored, so another process can resume the run with the same settings. */
const StoredRunOptions = z.object({
  model: z.string(),
  orchestratorModel: z.string(),
  permissionMode: z.enum(['ask', 'accept-edits', 'read-only', 'bypass']),
  maxBudgetUsd: z.optional(z.number()),
  autoCommit: z.optional(z.boolean()),
  contextWindows: z.optional(z.record(z.string(), z.number())),
});

export function runOptions(row: RunRow): RunOptions {
  return parseStored(StoredRunOptions, row.options_json, `the options of run ${row.id}`);
}

export function createRun(db: Db, args: { threadId: string; project: string; prompt: string; options: RunOptions }): RunRow {
  const row: RunRow = {
    id: newId('r'),
    thread_id: args.threadId,
    project: args.project,
    prompt: args.prompt,
    status: 'running',
    pattern: null,
    result: null,
    error: null,
    model: args.options.model,
    orchestrator_model: args.options.orchestratorModel,
    permission_mode: args.options.permissionMode,
    options_json: JSON.stringify(args.options),
    owner_pid: process.pid,
    owner_host: hostname(),
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0,
    started_at: now(),
    finished_at: null,
  };
  db.prepare(
    `INSERT INTO runs (id, thread_id, project, prompt, status, model, orchestrator_model, permission_mode, options_json, owner_pid, owner_host, started_at)
     VALUES (@id, @thread_id, @project, @prompt, @status, @model, @orchestrator_model, @permission_mode, @options_json, @owner_pid, @owner_host, @started_at)`,
  ).run(row);
  return row;
}

export function getRun(db: Db, id: string): RunRow | undefined {
  return db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
}

/** A run id or a unique prefix of one (any project: ids are global). */
export function resolveRun(db: Db, idOrPrefix: string): RunRow {
  const rows = rowsByIdPrefix<RunRow>(db, 'runs', idOrPrefix, 2);
  if (rows.length === 0) throw new UserError(`no run "${idOrPrefix}" (see baton history)`);
  if (rows.length > 1 && rows[0]!.id !== idOrPrefix) throw new UserError(`run id "${idOrPrefix}" is ambiguous; type more characters`);
  return rows[0]!;
}

/** The run's tokens in the API's four buckets. */
export const runUsage = (r: RunRow): Usage => ({
  inputTokens: r.input_tokens,
  outputTokens: r.output_tokens,
  cacheReadTokens: r.cache_read_tokens,
  cacheWriteTokens: r.cache_write_tokens,
});

/** The newest run of a thread that waits for the user. */
export function waitingRunOfThread(db: Db, threadId: string): Pick<RunRow, 'id' | 'prompt'> | undefined {
  return db.prepare("SELECT id, prompt FROM runs WHERE thread_id = ? AND status = 'waiting_user' ORDER BY started_at DESC LIMIT 1").get(threadId) as
    | Pick<RunRow, 'id' | 'prompt'>
    | undefined;
}

export function setRunPlaybook(db: Db, runId: string, playbook: { id: string; path: string; hash: string }): void {
  db.prepare('UPDATE runs SET playbook = ?, playbook_file = ?, playbook_hash = ? WHERE id = ?').run(playbook.id, playbook.path, playbook.hash, runId);
}

export function setRunPattern(db: Db, runId: string, pattern: string): void {
  db.prepare('UPDATE runs SET pattern = ? WHERE id = ?').run(pattern, runId);
}

/** Takes ownership of a run for this process (when resuming it) and marks it running. */
export function claimRun(db: Db, runId: string): void {
  db.prepare("UPDATE runs SET status = 'running', owner_pid = ?, owner_host = ?, finished_at = NULL, error = NULL WHERE id = ?").run(
    process.pid,
    hostname(),
    runId,
  );
}

export function setRunStatus(db: Db, runId: string, status: RunStatus): void {
  db.prepare('UPDATE runs SET status = ? WHERE id = ?').run(status, runId);
}

export function addRunUsage(db: Db, runId: string, usage: Usage, costUsd: number): void {
  db.prepare(
    `UPDATE runs SET input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, cache_read_tokens = cache_read_tokens + ?,
     cache_write_tokens = cache_write_tokens + ?, cost_usd = cost_usd + ? WHERE id = ?`,
  ).run(usage.inputTokens, usage.outputTokens, usage.cacheReadTokens, usage.cacheWriteTokens, costUsd, runId);
}

export function finishRun(db: Db, runId: string, status: RunStatus, result: string | undefined, error: string | undefined): void {
  db.prepare('UPDATE runs SET status = ?, result = ?, error = ?, finished_at = ? WHERE id = ?').run(
    status,
    result ?? null,
    error ?? null,
    status === 'waiting_user' ? null : now(),
    runId,
  );
}

function ownerAlive(pid: number | null, host: string | null): boolean {
  if (pid === null) return false;
  if (host !== hostname()) return true; // another machine's process: we cannot tell, assume alive
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs left `running` by a process that is gone become `interrupted`; agent calls they left executing too, and tool calls left unfinished. */
export function sweepInterrupted(db: Db, project?: string): string[] {
  const rows = db
    .prepare(`SELECT id, owner_pid, owner_host FROM runs WHERE status = 'running' ${project ? 'AND project = ?' : ''}`)
    .all(...(project ? [project] : [])) as { id: string; owner_pid: number | null; owner_host: string | null }[];
  const dead = rows.filter((r) => r.owner_pid !== process.pid && !ownerAlive(r.owner_pid, r.owner_host)).map((r) => r.id);
  if (dead.length === 0) return dead;
  immediate(db, () => {
    for (const id of dead) {
      // Re-check inside the lock: another process may have claimed it meanwhile.
      db.prepare("UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ? AND status = 'running'").run(now(), id);
      db.prepare("UPDATE agent_calls SET status = 'failed', error = 'interrupted', finished_at = ? WHERE run_id = ? AND status IN ('ready','executing')").run(
        now(),
        id,
      );
      interruptToolCalls(db, { runId: id }, INTERRUPTED_TOOL_RESULT);
    }
  });
  return dead;
}

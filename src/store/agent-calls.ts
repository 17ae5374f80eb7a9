import type { AgentCallStatus } from '../core/events.js';
import type { Usage } from '../core/usage.js';
import { now, type Db } from './db.js';

export interface AgentCallRow {
  id: string;
  run_id: string;
  decision_id: string | null;
  role: string;
  label: string | null;
  model: string;
  instructions: string;
  status: AgentCallStatus;
  turns: number;
  retries: number;
  result: string | null;
  error: string | null;
  messages_json: string | null;
  /** Each turn's stop reason, comma-separated, in order. */
  stop_reasons: string;
  /** The agent file this call ran as (its path and the sha256 of its text), if any. */
  agent_file: string | null;
  agent_file_hash: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
  started_at: number;
  finished_at: number | null;
}

export function insertAgentCall(
  db: Db,
  row: {
    id: string;
    runId: string;
    decisionId?: string | undefined;
    role: string;
    label: string;
    model: string;
    instructions: string;
    agentFile?: { path: string; hash: string } | undefined;
  },
): void {
  db.prepare(
    `INSERT INTO agent_calls (id, run_id, decision_id, role, label, model, instructions, status, started_at, agent_file, agent_file_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?, ?)`,
  ).run(
    row.id,
    row.runId,
    row.decisionId ?? null,
    row.role,
    row.label,
    row.model,
    row.instructions,
    now(),
    row.agentFile?.path ?? null,
    row.agentFile?.hash ?? null,
  );
}

/** The latest agent call of a run with this label (labels name a pattern's slots: "direct", "step#2", "review#1"). */
export function agentCallByLabel(db: Db, runId: string, label: string): AgentCallRow | undefined {
  return db.prepare('SELECT * FROM agent_calls WHERE run_id = ? AND label = ? ORDER BY started_at DESC, rowid DESC LIMIT 1').get(runId, label) as
    | AgentCallRow
    | undefined;
}

export function setAgentStatus(db: Db, id: string, status: AgentCallStatus, fields: { result?: string | undefined; error?: string | undefined } = {}): void {
  const final = status === 'completed' || status === 'failed' || status === 'cancelled';
  db.prepare('UPDATE agent_calls SET status = ?, result = COALESCE(?, result), error = ?, finished_at = ? WHERE id = ?').run(
    status,
    fields.result ?? null,
    fields.error ?? null,
    final ? now() : null,
    id,
  );
}

/**
 * After every model turn: usage, turn count, how the turn ended and the conversation so far (so a
 * paused or crashed call can resume).
 */
export function recordAgentTurn(db: Db, id: string, usage: Usage, costUsd: number, retries: number, stopReason: string, messagesJson: string): void {
  db.prepare(
    `UPDATE agent_calls SET turns = turns + 1, retries = retries + ?, input_tokens = input_tokens + ?, output_tokens = output_tokens + ?,
     cache_read_tokens = cache_read_tokens + ?, cache_write_tokens = cache_write_tokens + ?, cost_usd = cost_usd + ?,
     stop_reasons = CASE stop_reasons WHEN '' THEN ? ELSE stop_reasons || ',' || ? END, messages_json = ? WHERE id = ?`,
  ).run(retries, usage.inputTokens, usage.outputTokens, usage.cacheReadTokens, usage.cacheWriteTokens, costUsd, stopReason, stopReason, messagesJson, id);
}

export function saveAgentMessages(db: Db, id: string, messagesJson: string): void {
  db.prepare('UPDATE agent_calls SET messages_json = ? WHERE id = ?').run(messagesJson, id);
}

export function insertToolCall(db: Db, row: { id: string; agentCallId: string; runId: string; name: string; input: unknown }): void {
  // A resumed turn may replay a tool_use id that was already recorded: keep the first row.
  db.prepare(`INSERT OR IGNORE INTO tool_calls (id, agent_call_id, run_id, name, input_json, status, started_at) VALUES (?, ?, ?, ?, ?, 'requested', ?)`).run(
    row.id,
    row.agentCallId,
    row.runId,
    row.name,
    JSON.stringify(row.input ?? null),
    now(),
  );
}

export function setToolCallRunning(db: Db, id: string, permission: string): void {
  db.prepare("UPDATE tool_calls SET status = 'running', permission = ? WHERE id = ?").run(permission, id);
}

export function finishToolCall(
  db: Db,
  id: string,
  fields: {
    status: 'completed' | 'failed' | 'denied' | 'cancelled';
    output: string;
    isError: boolean;
    durationMs: number;
    permission?: string | undefined;
    /** The unified diff of a file change, for display. */
    diff?: string | undefined;
  },
): void {
  db.prepare(
    'UPDATE tool_calls SET status = ?, output = ?, is_error = ?, duration_ms = ?, permission = COALESCE(?, permission), diff = ?, finished_at = ? WHERE id = ?',
  ).run(fields.status, fields.output, fields.isError ? 1 : 0, fields.durationMs, fields.permission ?? null, fields.diff ?? null, now(), id);
}

/**
 * Tool calls a dead process left unfinished: `interrupted`, with the message the model was given.
 * Only rows still `requested` or `running` change (a finished call keeps its record).
 */
export function interruptToolCalls(db: Db, where: { runId: string } | { ids: readonly string[] }, output: string): void {
  const unfinished = "status IN ('requested','running')";
  const stmt =
    'runId' in where
      ? db.prepare(`UPDATE tool_calls SET status = 'interrupted', is_error = 1, output = ?, finished_at = ? WHERE run_id = ? AND ${unfinished}`)
      : db.prepare(`UPDATE tool_calls SET status = 'interrupted', is_error = 1, output = ?, finished_at = ? WHERE id = ? AND ${unfinished}`);
  if ('runId' in where) stmt.run(output, now(), where.runId);
  else for (const id of where.ids) stmt.run(output, now(), id);
}

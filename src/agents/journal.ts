/**
 * What the engine and the tool runner write down, as one interface: the engine knows when to
 * write, this file knows where. Every write lands before the event that depends on it, so a
 * `kill -9` at any moment leaves a consistent database and a resumable conversation.
 */
import type { AgentCallStatus } from '../core/events.js';
import type { RunHooks } from '../core/run.js';
import type { Usage } from '../core/usage.js';
import {
  agentCallByLabel,
  finishToolCall,
  insertAgentCall,
  insertToolCall,
  interruptToolCalls,
  recordAgentTurn,
  saveAgentMessages,
  setAgentStatus,
  setToolCallRunning,
  type AgentCallRow,
} from '../store/agent-calls.js';
import type { Db } from '../store/db.js';
import { insertQuestion, questionByToolCall, type QuestionRow } from '../store/questions.js';
import { addRunUsage } from '../store/runs.js';
import { askStoredQuestion } from './ask.js';

export type ToolCallStatus = 'completed' | 'failed' | 'denied' | 'cancelled';

export interface AgentJournal {
  /** The latest call in this slot of the run, to resume or replay. */
  findCall(label: string): AgentCallRow | undefined;
  beginCall(call: {
    id: string;
    decisionId?: string | undefined;
    role: string;
    label: string;
    model: string;
    instructions: string;
    agentFile?: { path: string; hash: string } | undefined;
  }): void;
  setCallStatus(agentCallId: string, status: AgentCallStatus, fields?: { result?: string | undefined; error?: string | undefined }): void;
  /** A model turn's cost, added to the run's totals. */
  runUsage(usage: Usage, costUsd: number): void;
  /** A finished model turn: its usage, how it ended (stop reason) and the conversation so far. */
  turn(agentCallId: string, turn: { usage: Usage; costUsd: number; retries: number; stopReason: string }, conversation: string): void;
  saveConversation(agentCallId: string, conversation: string): void;
  /** Tool calls a dead process left unfinished: marked interrupted. */
  toolsInterrupted(toolCallIds: readonly string[], message: string): void;
  toolRequested(call: { id: string; agentCallId: string; name: string; input: unknown }): void;
  toolRunning(toolCallId: string, permission: string): void;
  toolFinished(
    toolCallId: string,
    fields: { status: ToolCallStatus; output: string; isError: boolean; durationMs: number; permission?: string | undefined; diff?: string | undefined },
  ): void;
  /** The question an ask_user call put (stored once: a resumed turn finds the same row). */
  question(agentCallId: string, toolCallId: string, q: { question: string; options?: string[] | undefined }): QuestionRow;
  /** Puts a stored question to the user; undefined when the run must wait for `baton answer`. */
  ask(q: QuestionRow): Promise<string | undefined>;
}

/** The journal in the run's SQLite database. */
export function storeJournal(db: Db, runId: string, hooks: RunHooks): AgentJournal {
  return {
    findCall: (label) => agentCallByLabel(db, runId, label),
    beginCall: ({ agentFile, ...call }) =>
      insertAgentCall(db, { ...call, runId, ...(agentFile ? { agentFile: { path: agentFile.path, hash: agentFile.hash } } : {}) }),
    setCallStatus: (id, status, fields) => setAgentStatus(db, id, status, fields),
    runUsage: (usage, costUsd) => addRunUsage(db, runId, usage, costUsd),
    turn: (id, t, conversation) => recordAgentTurn(db, id, t.usage, t.costUsd, t.retries, t.stopReason, conversation),
    saveConversation: (id, conversation) => saveAgentMessages(db, id, conversation),
    toolsInterrupted: (ids, message) => interruptToolCalls(db, { ids }, message),
    toolRequested: (call) => insertToolCall(db, { ...call, runId }),
    toolRunning: (id, permission) => setToolCallRunning(db, id, permission),
    toolFinished: (id, fields) => finishToolCall(db, id, fields),
    question: (agentCallId, toolCallId, q) =>
      questionByToolCall(db, toolCallId) ?? insertQuestion(db, { runId, agentCallId, toolCallId, question: q.question, options: q.options }),
    ask: (q) => askStoredQuestion(db, hooks, q),
  };
}

/** The contracts of one sub-agent call: what a pattern asks for, what it runs in, what it returns. */
import type Anthropic from '@anthropic-ai/sdk';
import type * as z from '../core/zod.js';
import type { PermissionMode, RunHooks } from '../core/run.js';
import type { Usage } from '../core/usage.js';
import type { Effort, LlmClient } from '../llm/types.js';
import type { Db } from '../store/db.js';
import type { QuestionRow } from '../store/questions.js';
import type { Budget, FileClaims } from './budget.js';
import type { ToolSpec } from '../tools/types.js';

/** The part of a tool_use block the engine needs (the same for a fresh response and a stored turn). */
export type ToolUseBlock = { type: 'tool_use'; id: string; name: string; input: unknown };
export type ToolResultBlock = Anthropic.ToolResultBlockParam;

/** What a pattern asks for: one sub-agent in one slot of the run (the label names the slot). */
export interface AgentSpec {
  label: string;
  /** A built-in role, or the name of an agent file (then `agentFile` is set). */
  role: string;
  model: string;
  instructions: string;
  effort?: Effort | undefined;
  maxTurns?: number | undefined;
  decisionId?: string | undefined;
  /** When set, the final message must be JSON matching this schema (one repair turn is allowed). */
  finalSchema?: z.ZodMiniType | undefined;
  /** Whether this agent's text is the answer the user sees (print mode streams it). */
  speaksToUser?: boolean | undefined;
  /** Offer ask_user to this agent (default true). */
  canAsk?: boolean | undefined;
  /**
   * The agent's whole tool set (ask_user aside) when it is not its role's: an agent file's list, or a
   * role's tools plus MCP tools. Only these are offered, and a call to any other tool is refused.
   */
  tools?: readonly ToolSpec[] | undefined;
  /** An agent file's agent: its body is the system prompt; path and hash are recorded on the call. */
  agentFile?: { system: string; path: string; hash: string } | undefined;
}

export interface AgentEnv {
  db: Db;
  client: LlmClient;
  runId: string;
  project: string;
  root: string;
  repoFacts: string;
  hooks: RunHooks;
  signal: AbortSignal;
  permissionMode: PermissionMode;
  budget: Budget;
  /** Called before the first write or exec tool runs (the git checkpoint). */
  beforeChange?: (() => Promise<void>) | undefined;
  fileClaims?: FileClaims | undefined;
  /** Context windows by model id, overriding the built-in table (config `contextWindows`). */
  contextWindows?: Readonly<Record<string, number>> | undefined;
}

export type AgentOutcome =
  | { status: 'completed'; agentCallId: string; result: string; parsed?: unknown; usage: Usage; costUsd: number }
  | { status: 'failed' | 'cancelled'; agentCallId: string; error: string; result?: string | undefined; usage: Usage; costUsd: number }
  | { status: 'waiting_user'; agentCallId: string; question: QuestionRow; usage: Usage; costUsd: number };

export function toolError(id: string, message: string): ToolResultBlock {
  return { type: 'tool_result', tool_use_id: id, content: message || 'error', is_error: true };
}

/** An agent call's conversation as it is stored (agent_calls.messages_json), and what the engine reads from it. */
import * as z from '../core/zod.js';
import { textOf } from '../llm/content.js';
import type { MessageParam } from '../llm/types.js';
import { parseStored } from '../store/json.js';
import { parseFinalJson } from './final-json.js';
import type { ToolResultBlock, ToolUseBlock } from './types.js';

/** Blocks are checked by the API when they are sent, so only their shape is checked here. */
const StoredAgentState = z.object({
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]) })),
  /** Set while an ask_user call waits: the other tool results of that turn, and the ask's tool_use id. */
  pending: z.optional(z.object({ results: z.array(z.looseObject({ type: z.literal('tool_result'), tool_use_id: z.string() })), askToolUseId: z.string() })),
  repaired: z.optional(z.boolean()),
  continuations: z.optional(z.number()),
  cutText: z.optional(z.string()),
  nudged: z.optional(z.boolean()),
  paused: z.optional(z.boolean()),
});

export interface AgentState {
  messages: MessageParam[];
  pending?: { results: ToolResultBlock[]; askToolUseId: string } | undefined;
  repaired?: boolean | undefined;
  /** Continuations asked for since the answer was last cut off at max_tokens (at most 3). */
  continuations?: number | undefined;
  /** The text of the turns cut off at max_tokens so far: the start of the answer. */
  cutText?: string | undefined;
  /** The model was asked once for a final answer after an empty turn. */
  nudged?: boolean | undefined;
  /** The last assistant turn ended with pause_turn: the next turn continues it (merged into it). */
  paused?: boolean | undefined;
}

export function loadConversation(json: string | null, agentCallId: string): AgentState {
  if (!json) return { messages: [] };
  return parseStored(StoredAgentState, json, `the conversation of agent call ${agentCallId}`) as AgentState;
}

/** The tool calls of the last assistant turn (the turn a paused call resumes). */
export function lastToolUses(state: AgentState): ToolUseBlock[] {
  const last = state.messages.at(-1);
  const blocks = Array.isArray(last?.content) ? (last.content as { type: string }[]) : [];
  return blocks.filter((b): b is ToolUseBlock => b.type === 'tool_use');
}

/**
 * A conversation that ends with tool calls without results (the process died while they ran, and
 * no question is pending): results saying so are added, so the API accepts the next request. The
 * assistant turn stays exactly as received (thinking signatures). Returns the ids answered.
 */
export function answerInterruptedCalls(state: AgentState, message: string): string[] {
  if (state.pending) return [];
  const uses = lastToolUses(state);
  if (uses.length === 0) return [];
  state.messages.push({ role: 'user', content: uses.map((u) => ({ type: 'tool_result' as const, tool_use_id: u.id, content: message, is_error: true })) });
  return uses.map((u) => u.id);
}

/**
 * The last turn's content when the model had already answered (no tool calls) but the call was not
 * finished: the process died in between. A turn the API paused is not an answer: it goes on.
 */
export function answeredTurn(state: AgentState): { type: string }[] | undefined {
  const last = state.messages.at(-1);
  if (state.pending || state.paused || last?.role !== 'assistant' || !Array.isArray(last.content)) return undefined;
  const blocks = last.content as { type: string }[];
  return blocks.some((b) => b.type === 'tool_use') ? undefined : blocks;
}

/** The text of the last assistant turn: what a call stopped early (max turns, budget) had said. */
export function lastText(state: AgentState): string | undefined {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const m = state.messages[i]!;
    if (m.role === 'assistant') return (typeof m.content === 'string' ? m.content : textOf(m.content as { type: string; text?: string }[])).trim();
  }
  return undefined;
}

/** The final JSON of a structured agent (see final-json.ts for where it is looked for). */
export function parseFinal(text: string, schema: z.ZodMiniType): { ok: true; value: unknown } | { ok: false; error: string } {
  return parseFinalJson(text, schema);
}

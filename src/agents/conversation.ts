/** An agent call's conversation as it is stored (agent_calls.messages_json), and what the engine reads from it. */
import { z } from 'zod';
import { textOf } from '../llm/content.js';
import type { MessageParam } from '../llm/types.js';
import { parseStored } from '../store/json.js';
import type { ToolResultBlock, ToolUseBlock } from './types.js';

/** Blocks are checked by the API when they are sent, so only their shape is checked here. */
const StoredAgentState = z.object({
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]) })),
  /** Set while an ask_user call waits: the other tool results of that turn, and the ask's tool_use id. */
  pending: z.object({ results: z.array(z.looseObject({ type: z.literal('tool_result'), tool_use_id: z.string() })), askToolUseId: z.string() }).optional(),
  repaired: z.boolean().optional(),
  continuations: z.number().optional(),
  cutText: z.string().optional(),
  nudged: z.boolean().optional(),
  paused: z.boolean().optional(),
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

/** The text of the last assistant turn: what a call stopped early (max turns, budget) had said. */
export function lastText(state: AgentState): string | undefined {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const m = state.messages[i]!;
    if (m.role === 'assistant') return (typeof m.content === 'string' ? m.content : textOf(m.content as { type: string; text?: string }[])).trim();
  }
  return undefined;
}

/** The final JSON of a structured agent: the last fenced ```json block, else the outermost {...}. */
export function parseFinal(text: string, schema: z.ZodType): { ok: true; value: unknown } | { ok: false; error: string } {
  const fenced = [...text.matchAll(/```(?:json)?\s*([\s\S]*?)```/g)].at(-1)?.[1];
  const candidate = fenced ?? text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  let json: unknown;
  try {
    json = JSON.parse(candidate);
  } catch {
    return { ok: false, error: 'expected a JSON object' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
}

/**
 * Prompt-cache breakpoints. The prompt's prefix order is tools → system → messages; a breakpoint
 * caches everything up to its block. We place (at most) four:
 *   1. the last tool definition (tools rarely change),
 *   2. the system prompt (one text block),
 *   3. the last block of the previous user message: the end of the prefix the previous call wrote,
 *      so this call reads it from cache,
 *   4. the last block of the last message: written now, read by the next turn.
 * Caller-supplied breakpoints elsewhere are dropped so the API's limit of four always holds.
 * The caller's arrays and messages are never mutated: marked ones are copied.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, ToolDefinition } from './types.js';

const EPHEMERAL: Anthropic.CacheControlEphemeral = { type: 'ephemeral' };

export interface CachedPrompt {
  system?: Anthropic.TextBlockParam[];
  tools?: ToolDefinition[];
  messages: MessageParam[];
}

export function withCacheBreakpoints(system: string, tools: ToolDefinition[] | undefined, messages: MessageParam[], cacheTurns = true): CachedPrompt {
  const last = cacheTurns ? messages.length - 1 : -1;
  const previousUser = cacheTurns ? messages.findLastIndex((m, i) => i < last && m.role === 'user') : -1;
  const marked = messages.map((m, i) => (i === last || i === previousUser ? markLastBlock(m) : withoutBreakpoints(m)));
  return {
    // An empty system prompt is left out: the API refuses empty text blocks.
    ...(system ? { system: [{ type: 'text', text: system, cache_control: EPHEMERAL }] } : {}),
    ...(tools?.length ? { tools: tools.map((t, i) => (i === tools.length - 1 ? { ...t, cache_control: EPHEMERAL } : t)) } : {}),
    messages: marked,
  };
}

type Block = Anthropic.ContentBlockParam;

/** Thinking blocks cannot carry cache_control. */
const canCarry = (b: Block): boolean => b.type !== 'thinking' && b.type !== 'redacted_thinking';
const hasBreakpoint = (b: Block): boolean => 'cache_control' in b && b.cache_control != null;
const strip = (b: Block): Block => (hasBreakpoint(b) ? ({ ...b, cache_control: null } as Block) : b);

// The casts below are sound: the blocks come from the message's own content (a system-role
// message holds text blocks only), and text blocks are what a string content turns into.
function markLastBlock(m: MessageParam): MessageParam {
  const blocks: Block[] = typeof m.content === 'string' ? (m.content ? [{ type: 'text', text: m.content }] : []) : m.content.map(strip);
  const i = blocks.length - 1;
  if (i >= 0 && canCarry(blocks[i]!)) blocks[i] = { ...blocks[i], cache_control: EPHEMERAL } as Block;
  return { ...m, content: blocks } as MessageParam;
}

function withoutBreakpoints(m: MessageParam): MessageParam {
  return typeof m.content !== 'string' && m.content.some(hasBreakpoint) ? ({ ...m, content: m.content.map(strip) } as MessageParam) : m;
}

/**
 * Keeping an agent's conversation inside the model's context window: an estimate of a request's
 * input tokens, and the clearing of old tool results (oldest first) into stubs that say how to
 * read the content again. Pure: the engine decides when, this module decides what.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageParam } from '../llm/types.js';

/** Clear before a request would pass this share of the window... */
export const CLEAR_AT = 0.8;
/** ...down to this share, so the next turns do not clear again at once (each clearing costs a prompt-cache write). */
export const CLEAR_TO = 0.6;
/** After the API said the prompt is too long: down to this share, keeping only the current turn. */
export const HARD_CLEAR_TO = 0.4;
/** The latest tool results kept besides the current turn's, in a normal clearing (while that gets under CLEAR_AT). */
export const KEEP_LATEST = 3;

const STUB_PREFIX = '[cleared to save context:';
const MAX_STUB_INPUT = 200;
/** Results shorter than this are not worth a stub. */
const MIN_CLEARABLE = 400;
/** Tools whose results are never cleared: the user's answers cannot be asked again for free. */
const NEVER_CLEARED = new Set(['ask_user']);

/** chars/4, the usual rule of thumb; serialised JSON (what goes over the wire) errs on the high side for prose. */
export const tokensOfChars = (chars: number): number => Math.ceil(chars / 4);

/** The size of the conversation as it is sent. */
export const charsOf = (messages: readonly MessageParam[]): number => JSON.stringify(messages).length;

/** What the API reported for a request: its input tokens and the conversation's size then. */
export interface Baseline {
  tokens: number;
  chars: number;
}

/**
 * A request's input tokens: the last reported figure plus what changed since (chars/4), else
 * chars/4 of everything (`fixedChars`: the system prompt and tool definitions).
 */
export function estimateTokens(messages: readonly MessageParam[], fixedChars: number, baseline?: Baseline): number {
  const chars = charsOf(messages);
  if (baseline) return Math.max(0, baseline.tokens + tokensOfChars(chars - baseline.chars));
  return tokensOfChars(chars + fixedChars);
}

/** The API's own count in a 400 "prompt is too long: N tokens > M maximum", when it gives one. */
export function promptTooLong(message: string): { tokens?: number; maximum?: number } | undefined {
  if (!/prompt is too long/i.test(message)) return undefined;
  const m = /(\d+) tokens? > (\d+)/.exec(message);
  return m ? { tokens: Number(m[1]), maximum: Number(m[2]) } : {};
}

export function clearedStub(name: string, input: unknown): string {
  let json = JSON.stringify(input ?? {}) ?? '{}';
  if (json.length > MAX_STUB_INPUT) json = `${json.slice(0, MAX_STUB_INPUT)}…`;
  return `${STUB_PREFIX} ${name} ${json} — call it again if needed]`;
}

export interface Clearing {
  /** A new array; untouched messages are the same objects (assistant turns are never changed). */
  messages: MessageParam[];
  cleared: number;
  /** Characters removed from the conversation. */
  savedChars: number;
}

/**
 * Replaces old tool results with stubs, oldest first, until `needChars` are saved or nothing
 * clearable is left. The current turn (the last assistant turn and the results that answer it)
 * and the `keepLatest` results before it stay; ids stay paired because only the result's content
 * changes; an is_error flag is kept.
 */
export function clearToolResults(messages: readonly MessageParam[], opts: { needChars: number; keepLatest: number }): Clearing {
  const calls = new Map<string, { name: string; input: unknown }>();
  for (const m of messages) {
    if (m.role !== 'assistant' || typeof m.content === 'string') continue;
    for (const b of m.content) if (b.type === 'tool_use') calls.set(b.id, { name: b.name, input: b.input });
  }
  const lastAssistant = messages.findLastIndex((m) => m.role === 'assistant');
  // Every result before the current turn, oldest first: [message index, block index].
  const candidates: [number, number][] = [];
  messages.forEach((m, i) => {
    if (m.role !== 'user' || typeof m.content === 'string' || i > lastAssistant) return;
    m.content.forEach((b, j) => {
      if (b.type === 'tool_result') candidates.push([i, j]);
    });
  });
  const clearable = candidates.slice(0, Math.max(0, candidates.length - opts.keepLatest));

  const out = [...messages];
  let saved = 0;
  let cleared = 0;
  for (const [i, j] of clearable) {
    if (saved >= opts.needChars) break;
    const content = out[i]!.content as Anthropic.ContentBlockParam[];
    const block = content[j] as Anthropic.ToolResultBlockParam;
    const call = calls.get(block.tool_use_id);
    if (!call || NEVER_CLEARED.has(call.name)) continue;
    const size = JSON.stringify(block.content ?? '').length;
    if (size < MIN_CLEARABLE || isStub(block.content)) continue;
    const stub = clearedStub(call.name, call.input);
    const replaced: Anthropic.ToolResultBlockParam = { ...block, content: stub };
    const next = [...content];
    next[j] = replaced;
    out[i] = { role: 'user', content: next };
    saved += size - JSON.stringify(stub).length;
    cleared++;
  }
  return { messages: out, cleared, savedChars: saved };
}

const isStub = (content: Anthropic.ToolResultBlockParam['content']): boolean => typeof content === 'string' && content.startsWith(STUB_PREFIX);

/** How far to clear: the characters to save to bring `tokens` down to `share` of `window`. */
export const charsToSave = (tokens: number, window: number, share: number): number => Math.max(0, (tokens - Math.floor(window * share)) * 4);

export interface WindowClearing {
  messages: MessageParam[];
  cleared: number;
  tokensBefore: number;
  tokensAfter: number;
}

/**
 * One agent call's view of its window: the last reported input size, and when and how hard to
 * clear. Returns the clearing to apply, or undefined when none is needed or nothing is clearable.
 */
export class WindowKeeper {
  private baseline: Baseline | undefined;

  /** `fixedChars`: the system prompt and tool definitions, sent with every request. */
  constructor(
    readonly window: number,
    private readonly fixedChars: number,
  ) {}

  /** The API's input tokens for a request whose conversation had `chars` characters. */
  reported(tokens: number, chars: number): void {
    this.baseline = { tokens, chars };
  }

  beforeRequest(messages: readonly MessageParam[]): WindowClearing | undefined {
    const before = estimateTokens(messages, this.fixedChars, this.baseline);
    if (before <= this.window * CLEAR_AT) return undefined;
    const gentle = this.clear(messages, before, this.window, CLEAR_TO, KEEP_LATEST);
    // The latest few are kept only while that stays under the threshold (a few big results can fill a small window).
    if (gentle && gentle.tokensAfter <= this.window * CLEAR_AT) return gentle;
    return this.clear(messages, before, this.window, CLEAR_TO, 0) ?? gentle;
  }

  /** The API refused the prompt as too long (its count and maximum when it said them): clear harder. */
  afterOverflow(messages: readonly MessageParam[], tokens?: number, maximum?: number): WindowClearing | undefined {
    if (tokens !== undefined) this.baseline = { tokens, chars: charsOf(messages) };
    const before = tokens ?? estimateTokens(messages, this.fixedChars, this.baseline);
    return this.clear(messages, before, Math.min(this.window, maximum ?? this.window), HARD_CLEAR_TO, 0);
  }

  private clear(messages: readonly MessageParam[], before: number, window: number, share: number, keepLatest: number): WindowClearing | undefined {
    const r = clearToolResults(messages, { needChars: charsToSave(before, window, share), keepLatest });
    if (r.cleared === 0) return undefined;
    return {
      messages: r.messages,
      cleared: r.cleared,
      tokensBefore: before,
      tokensAfter: Math.max(0, before - tokensOfChars(r.savedChars)),
    };
  }
}

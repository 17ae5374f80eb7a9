/**
 * What the fake Messages API answers: scripted replies, helpers to write scripts, and the
 * conversion of a reply into the API's message and its server-sent events.
 */
import type Anthropic from '@anthropic-ai/sdk';

export interface FakeToolUse {
  name: string;
  input: unknown;
  id?: string;
  /**
   * The call's input JSON is cut off after this many characters, as `max_tokens` cuts it mid-stream
   * (the reply's stop reason becomes max_tokens; this must be the last call of the reply).
   */
  cutAt?: number;
}

/** The API's usage object (the fields this fake computes). */
export interface ApiUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

/** `kind` labels the request in the journal (routeBy sets it to the route's name). */
interface Labelled {
  kind?: string;
}

export type FakeStopReason = Anthropic.StopReason;

export interface FakeAnswer extends Labelled {
  /**
   * Thinking blocks before the answer, each signed by the fake (an HMAC of its text): sent back in
   * a later request they must be byte-identical, else 400 as the real API. Only for a request that
   * enables thinking.
   */
  thinking?: string[];
  /** A redacted_thinking block (after the thinking blocks): opaque data that must also come back unchanged. */
  redactedThinking?: boolean;
  text?: string;
  /** Further text blocks of the same turn, after `text`. */
  moreText?: string[];
  toolUses?: FakeToolUse[];
  /** Structured output: sent as the text block, JSON-stringified. */
  json?: unknown;
  /** Default: 'max_tokens' when a tool call is cut, 'tool_use' when toolUses are given, else 'end_turn'. */
  stopReason?: FakeStopReason;
  /** With stopReason 'refusal': the message's stop_details (the policy category and the explanation). */
  refusal?: { category: Anthropic.RefusalStopDetails['category']; explanation: string | null };
  /** Overrides the computed usage fields. */
  usage?: Partial<ApiUsage>;
}

export type FakeFault = Labelled &
  (
    | { fault: 'http'; status: number; headers?: Record<string, string>; body?: unknown }
    /** message_start, the deltas of afterText, then an SSE `error` event. */
    | { fault: 'sse_error'; errorType: 'overloaded_error' | 'api_error'; afterText?: string }
    /** message_start, the deltas of afterText, then the socket is destroyed. */
    | { fault: 'drop'; afterText?: string }
    /** message_start, the deltas of afterText, then the response ends cleanly without message_stop (a proxy cut it). */
    | { fault: 'cut'; afterText?: string }
    /** Never answers, not even headers (cancellation tests; a stall before the response). */
    | { fault: 'hang' }
    /** Headers, message_start and the deltas of afterText, then silence with the connection open (a stall mid-stream). */
    | { fault: 'stall'; afterText?: string }
  );

export type FakeReply = FakeAnswer | FakeFault;

/** A valid request as a script sees it. */
export interface ParsedRequest {
  body: Anthropic.MessageCreateParams;
  model: string;
  /** The system prompt's text (blocks joined with newlines). */
  system: string;
  toolNames: string[];
  messages: Anthropic.MessageParam[];
  /** Text of the last message: its text blocks and tool_result contents. */
  lastText: string;
  /** Whether output_config.format asks for structured output. */
  structured: boolean;
  /** The structured-output JSON Schema (output_config.format.schema), if any. */
  outputSchema?: Record<string, unknown>;
  /** The top-level property names of that schema: the stable marker of a structured call's kind. */
  outputFields: string[];
  /** tool_choice as sent: a forced tool (`{ type: 'tool', name }`) marks its call's kind. */
  toolChoice?: Anthropic.ToolChoice;
}

/** Replies consumed in order (one per valid request), or a function of the request and its index. */
export type FakeScript = FakeReply[] | ((req: ParsedRequest, index: number) => FakeReply);

export const textReply = (text: string, extra: FakeAnswer = {}): FakeAnswer => ({ text, ...extra });
export const toolReply = (name: string, input: unknown, extra: FakeAnswer = {}): FakeAnswer => ({
  toolUses: [{ name, input }],
  ...extra,
});
export const jsonReply = (json: unknown, extra: FakeAnswer = {}): FakeAnswer => ({ json, ...extra });
/** A turn with no content at all (`content: []`), as real models sometimes answer after tool results. */
export const emptyReply = (extra: FakeAnswer = {}): FakeAnswer => ({ ...extra });
/** A refusal: optional partial text, stop_reason `refusal` and its stop_details. */
export const refusalReply = (explanation: string | null, extra: FakeAnswer & { category?: Anthropic.RefusalStopDetails['category'] } = {}): FakeAnswer => {
  const { category = 'cyber', ...rest } = extra;
  return { stopReason: 'refusal', refusal: { category, explanation }, ...rest };
};
/** Text cut off by the output limit (stop_reason `max_tokens`, output_tokens = the request's max_tokens). */
export const cutTextReply = (text: string, extra: FakeAnswer = {}): FakeAnswer => ({ text, stopReason: 'max_tokens', ...extra });
/** A tool call whose input JSON is cut off mid-stream by max_tokens after `cutAt` characters. */
export const cutToolReply = (name: string, input: unknown, cutAt: number, extra: FakeAnswer = {}): FakeAnswer => ({
  toolUses: [{ name, input, cutAt }],
  ...extra,
});
export interface FakeRoute {
  when: (req: ParsedRequest) => boolean;
  /** Consumed in order by the requests this route matches, or computed from the request and its index in the route. */
  replies: FakeReply[] | ((req: ParsedRequest, index: number) => FakeReply);
}

/**
 * A script that sends each request to the first route (in insertion order) whose `when` matches;
 * every route consumes its own replies and labels the journal entry with its name. A request no
 * route matches, or one past a route's replies, fails loudly (500 with the reason in the journal).
 */
export function routeBy(routes: Record<string, FakeRoute>): FakeScript {
  const used = new Map<string, number>();
  return (req) => {
    const entry = Object.entries(routes).find(([, route]) => route.when(req));
    if (!entry) throw new Error(`no route matches this request (routes: ${Object.keys(routes).join(', ')})`);
    const [name, route] = entry;
    const n = used.get(name) ?? 0;
    used.set(name, n + 1);
    const reply = typeof route.replies === 'function' ? route.replies(req, n) : route.replies[n];
    if (!reply) throw new Error(`route "${name}" has no reply for its request #${n + 1} (it has ${route.replies.length})`);
    return { kind: name, ...reply };
  };
}

export const tokensOf = (chars: number): number => Math.ceil(chars / 4);

export function blocksOf(content: Anthropic.MessageParam['content']): Anthropic.ContentBlockParam[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

export function textOfBlocks(content: Anthropic.MessageParam['content']): string {
  return blocksOf(content)
    .map((b) => (b.type === 'text' ? b.text : b.type === 'tool_result' && b.content ? textOfBlocks(b.content as Anthropic.MessageParam['content']) : ''))
    .filter(Boolean)
    .join('\n');
}

/** Signs thinking (the fake's stand-in for the API's opaque signature) and issues redacted data. */
export interface ThinkingSigner {
  sign(thinking: string): string;
  redacted(): string;
}

/** The message a successful reply stands for; tool use ids come from `nextToolId` unless the reply gives them. */
export function buildMessage(
  reply: FakeAnswer,
  m: { id: string; model: string; usage: ApiUsage; nextToolId: () => string; signer?: ThinkingSigner },
): Anthropic.Message {
  const content: Anthropic.ContentBlock[] = [];
  for (const thinking of reply.thinking ?? []) {
    if (!m.signer) throw new Error('thinking needs a signer');
    content.push({ type: 'thinking', thinking, signature: m.signer.sign(thinking) });
  }
  if (reply.redactedThinking) {
    if (!m.signer) throw new Error('thinking needs a signer');
    content.push({ type: 'redacted_thinking', data: m.signer.redacted() });
  }
  const text = reply.json !== undefined ? JSON.stringify(reply.json) : reply.text;
  if (text) content.push({ type: 'text', text, citations: null });
  for (const more of reply.moreText ?? []) content.push({ type: 'text', text: more, citations: null });
  for (const t of reply.toolUses ?? []) {
    const block: Anthropic.ToolUseBlock = { type: 'tool_use', id: t.id ?? m.nextToolId(), name: t.name, input: t.input, caller: { type: 'direct' } };
    // Where the stream cuts the input (not sent: the events cut the JSON here).
    if (t.cutAt !== undefined) Object.defineProperty(block, CUT_AT, { value: t.cutAt, enumerable: false });
    content.push(block);
  }
  const cut = (reply.toolUses ?? []).some((t) => t.cutAt !== undefined);
  return {
    id: m.id,
    type: 'message',
    role: 'assistant',
    model: m.model,
    content,
    stop_reason: reply.stopReason ?? (cut ? 'max_tokens' : reply.toolUses?.length ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    stop_details: reply.refusal ? { type: 'refusal', ...reply.refusal } : null,
    container: null,
    diagnostics: null,
    usage: apiUsageObject(m.usage),
  };
}

const CUT_AT = Symbol('cutAt');

/** Output length in characters: what the fake bills as output tokens. */
export function outputChars(reply: FakeAnswer): number {
  const text = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
  const thinking = (reply.thinking ?? []).reduce((n, t) => n + t.length, 0);
  return text.length + (reply.moreText ?? []).join('').length + thinking + (reply.toolUses ?? []).reduce((n, t) => n + JSON.stringify(t.input).length, 0);
}

function apiUsageObject(u: ApiUsage): Anthropic.Usage {
  return { ...u, cache_creation: null, inference_geo: null, output_tokens_details: null, server_tool_use: null, service_tier: 'standard', speed: null };
}

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Small pieces, as the real API streams them. */
export function pieces(s: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

function messageStart(message: Anthropic.Message): SseEvent[] {
  return [
    {
      event: 'message_start',
      data: { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } } },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
}

function textBlockEvents(index: number, text: string, stop: boolean): SseEvent[] {
  const events: SseEvent[] = [
    { event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'text', text: '', citations: null } } },
  ];
  for (const p of pieces(text)) {
    events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text: p } } });
  }
  if (stop) events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  return events;
}

/** The full event sequence of a streamed message. */
export function messageEvents(message: Anthropic.Message): SseEvent[] {
  const events = messageStart(message);
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(...textBlockEvents(index, block.text, true));
    } else if (block.type === 'thinking') {
      events.push({
        event: 'content_block_start',
        data: { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } },
      });
      for (const p of pieces(block.thinking)) {
        events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: p } } });
      }
      events.push(
        { event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } } },
        { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
      );
    } else if (block.type === 'redacted_thinking') {
      events.push(
        { event: 'content_block_start', data: { type: 'content_block_start', index, content_block: block } },
        { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
      );
    } else if (block.type === 'tool_use') {
      events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { ...block, input: {} } } });
      const json = JSON.stringify(block.input);
      const cutAt = (block as { [CUT_AT]?: number })[CUT_AT];
      for (const p of pieces(cutAt === undefined ? json : json.slice(0, cutAt), 24)) {
        events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: p } } });
      }
      events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
    }
  });
  events.push(
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: message.stop_reason, stop_sequence: null, stop_details: message.stop_details },
        usage: { output_tokens: message.usage.output_tokens },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return events;
}

/** The start of a message that a fault interrupts after `afterText`. */
export function partialEvents(message: Anthropic.Message, afterText: string | undefined): SseEvent[] {
  return [...messageStart(message), ...(afterText ? textBlockEvents(0, afterText, false) : [])];
}

export const sseFrame = (e: SseEvent): string => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;

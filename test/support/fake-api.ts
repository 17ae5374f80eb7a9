/**
 * A strict fake of the Anthropic Messages API over real HTTP and server-sent events: the network
 * edge of every test. It validates requests the way the real API does (400/401 with the real error
 * shape), answers from a script, streams in small deltas, keeps a prompt-cache ledger so usage
 * figures behave like the real ones, and journals every request.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Anthropic from '@anthropic-ai/sdk';
import {
  blocksOf,
  buildMessage,
  messageEvents,
  outputChars,
  partialEvents,
  sseFrame,
  textOfBlocks,
  tokensOf,
  type ApiUsage,
  type FakeReply,
  type FakeScript,
  type ParsedRequest,
  type ThinkingSigner,
} from './fake-replies.js';

export * from './fake-replies.js';

export interface JournalEntry {
  /** Position among all requests this fake received, from 0 (clearing the journal does not reset it). */
  index: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  kind?: string;
  status: number;
  usage?: ApiUsage;
  error?: string;
  reply?: FakeReply;
  /** Epoch milliseconds (sub-millisecond precision); finishedAt is set when the response ends. */
  startedAt: number;
  finishedAt?: number;
}

export interface FakeApi {
  /** Base URL for baseURL / ANTHROPIC_BASE_URL. */
  url: string;
  journal: JournalEntry[];
  setScript(script: FakeScript): void;
  close(): Promise<void>;
}

export interface FakeApiOptions {
  script?: FakeScript;
  /** Delay before each response starts. */
  latencyMs?: number;
  /** The key the fake accepts (x-api-key or Authorization: Bearer). Default 'test-key'. */
  apiKey?: string;
  /**
   * The model's context window: a request whose input (tools, system, messages; chars/4) is larger
   * is refused as the real API does, 400 "prompt is too long: N tokens > M maximum".
   */
  contextLimitTokens?: number;
}

/** A request the real API would refuse: answered with its status and error type. */
class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}
const invalid = (message: string): never => {
  throw new ApiRefusal(400, 'invalid_request_error', message);
};

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};
const errorBody = (status: number, message: string, type = ERROR_TYPES[status] ?? 'api_error') => ({
  type: 'error',
  error: { type, message },
  request_id: `req_fake${status}`,
});

const now = () => performance.timeOrigin + performance.now();

export async function startFakeApi(opts: FakeApiOptions = {}): Promise<FakeApi> {
  let script: FakeScript = opts.script ?? [];
  let scriptIndex = 0;
  let requests = 0;
  let toolCounter = 0;
  const nextToolId = () => `toolu_${String(++toolCounter).padStart(4, '0')}`;
  const journal: JournalEntry[] = [];
  const cached = new Set<string>();
  const apiKey = opts.apiKey ?? 'test-key';
  const turns = new TurnMemory();

  const server = createServer((req, res) => {
    const entry: JournalEntry = { index: requests++, headers: req.headers, body: undefined, status: 0, startedAt: now() };
    journal.push(entry);
    res.on('close', () => (entry.finishedAt = now()));
    readBody(req)
      .then(async (raw) => {
        if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
        try {
          entry.body = JSON.parse(raw);
        } catch {
          entry.body = undefined;
        }
        try {
          if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages')
            throw new ApiRefusal(404, 'not_found_error', `Not found: ${req.method} ${req.url}`);
          checkHeaders(req, apiKey);
          if (entry.body === undefined) invalid('The request body is not valid JSON.');
          const body = validateBody(entry.body);
          turns.validate(body);
          if (opts.contextLimitTokens !== undefined) checkContextLimit(body, opts.contextLimitTokens);
          answer(body, res, entry);
        } catch (err) {
          if (!(err instanceof ApiRefusal)) throw err;
          sendError(res, entry, err.status, errorBody(err.status, err.message, err.type), err.message);
        }
      })
      .catch((err: unknown) => sendError(res, entry, 500, errorBody(500, `fake API bug: ${String(err)}`), String(err)));
  });

  function answer(body: Anthropic.MessageCreateParams, res: ServerResponse, entry: JournalEntry): void {
    const parsed = parseRequest(body);
    let reply: FakeReply;
    try {
      const index = scriptIndex++;
      const next = typeof script === 'function' ? script(parsed, index) : script[index];
      if (!next)
        throw new Error(
          typeof script === 'function' ? `no reply for request #${index + 1}` : `no scripted reply for request #${index + 1} (the script has ${script.length})`,
        );
      reply = next;
    } catch (err) {
      const message = `fake API script: ${err instanceof Error ? err.message : String(err)}`;
      return sendError(res, entry, 500, errorBody(500, message), message);
    }
    entry.reply = reply;
    if (reply.kind) entry.kind = reply.kind;
    if (!('fault' in reply) && (reply.thinking?.length || reply.redactedThinking) && !thinkingOn(body)) {
      const message = 'fake API script: a reply with thinking to a request that does not enable thinking';
      return sendError(res, entry, 500, errorBody(500, message), message);
    }
    if ('fault' in reply) {
      if (reply.fault === 'http') {
        const message = `scripted HTTP ${reply.status}`;
        return sendError(res, entry, reply.status, reply.body ?? errorBody(reply.status, message), message, reply.headers);
      }
      entry.error = `scripted fault: ${reply.fault}`;
      if (reply.fault === 'hang') return;
      entry.status = 200;
      const startUsage = cacheUsage(body, cached).usage;
      const start = partialEvents(buildMessage({}, { id: `msg_fake${entry.index}`, model: body.model, usage: startUsage, nextToolId }), reply.afterText);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_fake${entry.index}` });
      if (reply.fault === 'stall') {
        // The usage the client saw in message_start: what a cancelled or stalled request still costs.
        entry.usage = startUsage;
        return void res.write(start.map(sseFrame).join(''));
      }
      if (reply.fault === 'drop') return void res.write(start.map(sseFrame).join(''), () => res.socket?.destroy());
      if (reply.fault === 'cut') return void res.end(start.map(sseFrame).join(''));
      const error = { event: 'error', data: errorBody(500, reply.errorType === 'overloaded_error' ? 'Overloaded' : 'Internal server error', reply.errorType) };
      return void res.end([...start, error].map(sseFrame).join(''));
    }
    const ledger = cacheUsage(body, cached);
    const cut = reply.stopReason === 'max_tokens' || (reply.toolUses ?? []).some((t) => t.cutAt !== undefined);
    // A reply cut by the output limit used all of it.
    const output_tokens = cut ? body.max_tokens : tokensOf(outputChars(reply));
    const usage: ApiUsage = { ...ledger.usage, output_tokens, ...reply.usage };
    const message = buildMessage(reply, { id: `msg_fake${entry.index}`, model: body.model, usage, nextToolId, signer: turns.signer });
    turns.answered(message);
    ledger.commit();
    entry.status = 200;
    entry.usage = usage;
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_fake${entry.index}` });
      res.end(messageEvents(message).map(sseFrame).join(''));
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake${entry.index}` });
      res.end(JSON.stringify(message));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    journal,
    setScript(next) {
      script = next;
      scriptIndex = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendError(res: ServerResponse, entry: JournalEntry, status: number, body: unknown, message: string, headers: Record<string, string> = {}): void {
  entry.status = status;
  entry.error = message;
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake${entry.index}`, ...headers });
  res.end(JSON.stringify(body));
}

function checkHeaders(req: IncomingMessage, apiKey: string): void {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const key = req.headers['x-api-key'] ?? bearer;
  if (!key) throw new ApiRefusal(401, 'authentication_error', 'x-api-key header is required');
  if (key !== apiKey) throw new ApiRefusal(401, 'authentication_error', 'invalid x-api-key');
  if (!req.headers['anthropic-version']) invalid('anthropic-version: header is required');
}

// --- request validation, as strict as the real API ---------------------------------------------

const TOP_LEVEL_KEYS = new Set([
  'max_tokens',
  'messages',
  'model',
  'cache_control',
  'container',
  'diagnostics',
  'inference_geo',
  'metadata',
  'output_config',
  'service_tier',
  'speed',
  'stop_sequences',
  'stream',
  'system',
  'thinking',
  'tool_choice',
  'tools',
  'user_profile_id',
  'workspace_id',
]);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max']);
type Block = Anthropic.ContentBlockParam;
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const hasBreakpoint = (x: unknown): boolean => isObject(x) && x.cache_control != null;

function validateBody(raw: unknown): Anthropic.MessageCreateParams {
  if (!isObject(raw)) return invalid('The request body must be a JSON object.');
  for (const key of Object.keys(raw)) if (!TOP_LEVEL_KEYS.has(key)) invalid(`${key}: Extra inputs are not permitted`);
  if (typeof raw.model !== 'string' || !raw.model) invalid('model: Field required');
  if (!Number.isInteger(raw.max_tokens) || (raw.max_tokens as number) < 1) invalid('max_tokens: Field required (a positive integer)');
  if (!Array.isArray(raw.messages) || raw.messages.length === 0) invalid('messages: Field required (at least one message)');
  const body = raw as unknown as Anthropic.MessageCreateParams;
  validateSystem(body.system);
  validateTools(body.tools ?? []);
  validateMessages(body.messages);
  validateOutputConfig(body.output_config);
  const breakpoints =
    (body.cache_control ? 1 : 0) +
    (body.tools ?? []).filter(hasBreakpoint).length +
    (Array.isArray(body.system) ? body.system.filter(hasBreakpoint).length : 0) +
    body.messages.flatMap((m) => blocksOf(m.content)).reduce((n, b) => n + blockBreakpoints(b), 0);
  if (breakpoints > 4) invalid(`A maximum of 4 blocks with cache_control may be provided. Found ${breakpoints}.`);
  return body;
}

function blockBreakpoints(b: Block): number {
  const nested = b.type === 'tool_result' && Array.isArray(b.content) ? b.content.filter(hasBreakpoint).length : 0;
  return (hasBreakpoint(b) ? 1 : 0) + nested;
}

function validateSystem(system: unknown): void {
  if (system === undefined || typeof system === 'string') return;
  if (!Array.isArray(system)) return invalid('system: Input should be a valid string or list of text blocks');
  system.forEach((b: unknown, i) => {
    if (!isObject(b) || b.type !== 'text') invalid(`system.${i}.type: Input should be 'text'`);
    if (!(b as { text?: unknown }).text) invalid(`system.${i}: text content blocks must be non-empty`);
  });
}

function validateTools(tools: unknown[]): void {
  const names = new Set<string>();
  tools.forEach((t, i) => {
    if (!isObject(t)) return invalid(`tools.${i}: Input should be an object`);
    if (t.type !== undefined && t.type !== 'custom') return; // server tools have fixed names and no schema
    if (typeof t.name !== 'string' || !TOOL_NAME.test(t.name)) invalid(`tools.${i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
    if (names.has(t.name as string)) invalid('tools: Tool names must be unique.');
    names.add(t.name as string);
    if (!isObject(t.input_schema) || t.input_schema.type !== 'object') invalid(`tools.${i}.custom.input_schema.type: Input should be 'object'`);
  });
}

function validateMessages(messages: Anthropic.MessageParam[]): void {
  const seenToolUseIds = new Set<string>();
  messages.forEach((m, i) => {
    // System-role messages (new in this API version) are not modelled: refused, so nothing relies on guesses.
    if (!isObject(m) || (m.role !== 'user' && m.role !== 'assistant')) return invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    if (i === 0 && m.role !== 'user') invalid('messages: first message must use the "user" role');
    if (i > 0 && messages[i - 1]!.role === m.role)
      invalid(`messages: roles must alternate between "user" and "assistant", but found multiple "${m.role}" roles in a row`);
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) invalid(`messages.${i}.content: Input should be a valid string or list`);
    const blocks = blocksOf(m.content);
    blocks.forEach((b, j) => {
      if (!isObject(b) || typeof b.type !== 'string') invalid(`messages.${i}.content.${j}: Input should be a content block`);
      if (b.type === 'text' && !b.text) invalid(`messages.${i}.content.${j}: text content blocks must be non-empty`);
    });
    if (m.role === 'assistant') {
      const ids = blocks.filter((b) => b.type === 'tool_use').map((b) => (b as Anthropic.ToolUseBlockParam).id);
      for (const id of ids) {
        if (seenToolUseIds.has(id)) invalid(`messages.${i}: \`tool_use\` ids must be unique; found ${id} twice`);
        seenToolUseIds.add(id);
      }
      const next = messages[i + 1];
      const answered = new Set<string>();
      for (const b of next ? blocksOf(next.content) : []) {
        if (b.type !== 'tool_result') break; // only the leading tool_result blocks count
        answered.add(b.tool_use_id);
      }
      const missing = ids.filter((id) => !answered.has(id));
      if (missing.length) {
        invalid(
          `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
        );
      }
    } else {
      const prev = messages[i - 1];
      const requested = new Set(prev ? blocksOf(prev.content).flatMap((b) => (b.type === 'tool_use' ? [b.id] : [])) : []);
      blocks.forEach((b, j) => {
        if (b.type === 'tool_result' && !requested.has(b.tool_use_id)) {
          invalid(
            `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${b.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
          );
        }
      });
    }
  });
}

function validateOutputConfig(config: unknown): void {
  if (config === undefined) return;
  if (!isObject(config)) return invalid('output_config: Input should be an object');
  if (config.effort != null && !EFFORTS.has(config.effort as string))
    invalid("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
  const format = config.format;
  if (format == null) return;
  if (!isObject(format) || format.type !== 'json_schema' || !isObject(format.schema)) {
    invalid("output_config.format: Input should be { type: 'json_schema', schema: <JSON schema object> }");
  }
  checkStrictObjects((format as { schema: Record<string, unknown> }).schema, 'output_config.format.schema');
}

/** Structured outputs require every object schema to forbid additional properties. */
function checkStrictObjects(schema: unknown, path: string): void {
  if (Array.isArray(schema)) return schema.forEach((s, i) => checkStrictObjects(s, `${path}.${i}`));
  if (!isObject(schema)) return;
  if (schema.type === 'object' && schema.additionalProperties !== false) {
    invalid(`${path}: For 'object' type, 'additionalProperties' must be explicitly set to false`);
  }
  for (const [key, value] of Object.entries(schema)) if (key !== 'enum' && key !== 'const') checkStrictObjects(value, `${path}.${key}`);
}

// --- thinking and turns: what a later request must send back unchanged -----------------------

const THINKING_TYPES = new Set(['enabled', 'disabled', 'adaptive', 'between_tools']);
/** Models of the 4.5 generation take only budgeted thinking (as the real API, a 400 for adaptive). */
const NO_ADAPTIVE = /^claude-(opus|sonnet|haiku)-4-5(-\d{8})?$/;

const thinkingOn = (body: Anthropic.MessageCreateParams): boolean => body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive';

/** A canonical form of content (sorted keys, cache markers left out) to compare a turn sent back with the turn answered. */
function canonical(x: unknown): string {
  return JSON.stringify(x, (k, v: unknown) =>
    k === 'cache_control' ? undefined : isObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/**
 * What the fake answered that later requests must respect: thinking signatures (an HMAC of the
 * text, so an edited block fails), redacted data it issued, which tool calls came with thinking
 * (their turn must still start with it), and paused turns (the only assistant turn a request may
 * end with: everything else is a prefill, which current models reject).
 */
class TurnMemory {
  private readonly key = randomBytes(16);
  private readonly redactedIssued = new Set<string>();
  private readonly toolsWithThinking = new Set<string>();
  private readonly paused = new Set<string>();

  readonly signer: ThinkingSigner = {
    sign: (thinking) => createHmac('sha256', this.key).update(thinking).digest('base64'),
    redacted: () => {
      const data = `redacted_${randomBytes(12).toString('base64')}`;
      this.redactedIssued.add(data);
      return data;
    },
  };

  answered(message: Anthropic.Message): void {
    const thought = message.content.some((b) => b.type === 'thinking' || b.type === 'redacted_thinking');
    for (const b of message.content) if (b.type === 'tool_use' && thought) this.toolsWithThinking.add(b.id);
    if (message.stop_reason === 'pause_turn' && message.content.length) this.paused.add(canonical(message.content));
  }

  validate(body: Anthropic.MessageCreateParams): void {
    validateThinkingConfig(body);
    const on = thinkingOn(body);
    body.messages.forEach((m, i) => {
      if (m.role !== 'assistant') return;
      const blocks = blocksOf(m.content);
      blocks.forEach((b, j) => {
        if (b.type === 'thinking') {
          if (typeof b.thinking !== 'string' || typeof b.signature !== 'string' || b.signature !== this.signer.sign(b.thinking)) {
            invalid(`messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`);
          }
        } else if (b.type === 'redacted_thinking' && !this.redactedIssued.has(b.data)) {
          invalid(`messages.${i}.content.${j}: Invalid \`data\` in \`redacted_thinking\` block`);
        }
      });
      const first = blocks[0]?.type;
      const needsThinking = blocks.some((b) => b.type === 'tool_use' && this.toolsWithThinking.has(b.id));
      if (on && needsThinking && i === lastAssistant(body.messages) && first !== 'thinking' && first !== 'redacted_thinking') {
        invalid(
          `messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). To avoid this requirement, disable \`thinking\`.`,
        );
      }
    });
    const last = body.messages.at(-1)!;
    if (last.role === 'assistant' && !this.paused.has(canonical(blocksOf(last.content)))) {
      invalid('This model does not support assistant message prefill. The conversation must end with a user message.');
    }
  }
}

const lastAssistant = (messages: Anthropic.MessageParam[]): number => messages.map((m) => m.role).lastIndexOf('assistant');

function validateThinkingConfig(body: Anthropic.MessageCreateParams): void {
  const t: unknown = body.thinking;
  if (t === undefined) return;
  if (!isObject(t) || !THINKING_TYPES.has(t.type as string))
    return invalid("thinking.type: Input should be 'enabled', 'disabled', 'adaptive' or 'between_tools'");
  if (t.display != null && t.display !== 'summarized' && t.display !== 'omitted') invalid("thinking.display: Input should be 'summarized' or 'omitted'");
  if (t.type === 'enabled') {
    if (!Number.isInteger(t.budget_tokens) || (t.budget_tokens as number) < 1024)
      invalid('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if ((t.budget_tokens as number) >= body.max_tokens)
      invalid(
        '`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size',
      );
  }
  if (t.type === 'adaptive' && NO_ADAPTIVE.test(body.model))
    invalid(`thinking.type: 'adaptive' is not supported by ${body.model}; use 'enabled' with budget_tokens`);
  const forced = body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool';
  if ((t.type === 'enabled' || t.type === 'adaptive') && forced) invalid('Thinking may not be enabled when tool_choice forces tool use.');
}

/** The context limit: the request's input tokens as the usage figures count them. */
function checkContextLimit(body: Anthropic.MessageCreateParams, limit: number): void {
  const { usage } = cacheUsage(body, new Set());
  const tokens = usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens;
  if (tokens > limit) invalid(`prompt is too long: ${tokens} tokens > ${limit} maximum`);
}

// --- what scripts see ---------------------------------------------------------------------------

function parseRequest(body: Anthropic.MessageCreateParams): ParsedRequest {
  const system = typeof body.system === 'string' ? body.system : (body.system ?? []).map((b) => b.text).join('\n');
  const last = body.messages[body.messages.length - 1]!;
  const format = body.output_config?.format;
  const outputSchema = format ? (format.schema as Record<string, unknown>) : undefined;
  const properties = outputSchema?.properties;
  return {
    body,
    model: body.model,
    system,
    toolNames: (body.tools ?? []).flatMap((t) => ('name' in t ? [t.name] : [])),
    messages: body.messages,
    lastText: textOfBlocks(last.content),
    structured: format != null,
    ...(outputSchema ? { outputSchema } : {}),
    outputFields: properties && typeof properties === 'object' ? Object.keys(properties) : [],
    ...(body.tool_choice ? { toolChoice: body.tool_choice } : {}),
  };
}

// --- prompt-cache ledger ------------------------------------------------------------------------

/**
 * Usage for a request given the prefixes cached by earlier ones. The prompt is a sequence of parts
 * (tools, then system blocks, then message blocks); a breakpoint caches the hash of everything up to
 * and including its part. The longest cached breakpoint prefix is read; the rest up to the last
 * breakpoint is written (and cached on commit); what follows is plain input.
 */
function cacheUsage(body: Anthropic.MessageCreateParams, cached: Set<string>): { usage: ApiUsage; commit(): void } {
  const parts: { json: string; breakpoint: boolean }[] = [];
  // The marker itself is not content: a block hashes the same with or without it.
  const add = (x: object, breakpoint: boolean) =>
    parts.push({ json: JSON.stringify(x, (k, v: unknown) => (k === 'cache_control' ? undefined : v)), breakpoint });
  for (const t of body.tools ?? []) add(t, hasBreakpoint(t));
  for (const b of typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : (body.system ?? [])) add(b, hasBreakpoint(b));
  for (const m of body.messages) for (const b of blocksOf(m.content)) add({ role: m.role, ...b }, blockBreakpoints(b) > 0);
  if (body.cache_control && parts.length) parts[parts.length - 1]!.breakpoint = true;

  let hash = body.model;
  let tokens = 0;
  const points: { hash: string; tokens: number }[] = [];
  for (const p of parts) {
    hash = createHash('sha256').update(hash).update('\0').update(p.json).digest('hex');
    tokens += tokensOf(p.json.length);
    if (p.breakpoint) points.push({ hash, tokens });
  }
  const read = points.filter((p) => cached.has(p.hash)).at(-1)?.tokens ?? 0;
  const cachedThrough = Math.max(read, points.at(-1)?.tokens ?? 0);
  return {
    usage: { input_tokens: tokens - cachedThrough, output_tokens: 0, cache_read_input_tokens: read, cache_creation_input_tokens: cachedThrough - read },
    commit: () => points.forEach((p) => cached.add(p.hash)),
  };
}

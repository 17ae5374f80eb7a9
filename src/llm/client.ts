/**
 * The Anthropic client: one streamed Messages call with our own retry policy, prompt-cache
 * breakpoints, structured output, usage and cost. The SDK is imported on the first call, so
 * commands that never call the model (e.g. `baton --version`) never load it.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessagesClient } from './sdk.js';
import { withCacheBreakpoints } from './cache.js';
import { blockSeparator } from './content.js';
import { classifyFailure, toLlmError } from './errors.js';
import { costUsd, priceFor } from './pricing.js';
import { retryDelayMs, sleep as defaultSleep, type RetryPolicy } from './retry.js';
import { failedAttemptUsage, type AttemptTrace } from './spend.js';
import { nodeHttpFetch } from './http-fetch.js';
import { currentWatchdog, DEFAULT_STALL_MS, StallError, Watchdog } from './stall.js';
import type { LlmError, LlmClient, LlmRequest, LlmResult } from './types.js';
import { addUsage, emptyUsage, type Usage } from '../core/usage.js';

export interface LlmClientOptions {
  /** Default: the SDK's own lookup (ANTHROPIC_API_KEY). */
  apiKey?: string;
  /** Default: the SDK's own lookup (ANTHROPIC_BASE_URL, else the public API). */
  baseURL?: string;
  /** Attempts per call, the first included. Default 5. */
  maxAttempts?: number;
  /** Backoff: random in [0, min(maxDelayMs, baseDelayMs * 2^n)]. Defaults 500 and 30000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Must resolve after `ms` or as soon as `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Silence (no response headers, no stream bytes) after which an attempt is abandoned and retried. Default 90000. */
  stallMs?: number;
}

interface Sdk {
  client: MessagesClient;
  transformJSONSchema: (schema: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * The SDK, imported on the first call (or by warm()). The built CLI carries it pre-bundled in a
 * chunk of its own: one file instead of the package's few hundred modules.
 */
async function loadSdk(opts: LlmClientOptions): Promise<Sdk> {
  const { createSdkClient, transformJSONSchema } = await import('./sdk.js');
  // maxRetries 0: retries are ours, so each one is reported and a mid-stream failure is retried too.
  // node:http (http-fetch.ts), feeding the stall watchdog of the request in flight (stall.ts).
  const fetch = nodeHttpFetch(() => currentWatchdog.getStore());
  return { client: createSdkClient({ apiKey: opts.apiKey, baseURL: opts.baseURL, maxRetries: 0, fetch }), transformJSONSchema };
}

/** Thrown out of the stream when the caller's onText throws: their bug, never retried. */
class CallbackError {
  constructor(readonly error: unknown) {}
}

export function createLlmClient(opts: LlmClientOptions = {}): LlmClient {
  const policy: RetryPolicy = {
    maxAttempts: Math.max(1, opts.maxAttempts ?? 5),
    baseDelayMs: opts.baseDelayMs ?? 500,
    maxDelayMs: opts.maxDelayMs ?? 30_000,
    random: opts.random ?? Math.random,
  };
  const sleep = opts.sleep ?? defaultSleep;
  let sdk: Promise<Sdk> | undefined;

  const stallMs = opts.stallMs ?? DEFAULT_STALL_MS;

  async function call(req: LlmRequest): Promise<LlmResult> {
    const started = performance.now();
    const { client, transformJSONSchema } = await (sdk ??= loadSdk(opts));
    const params = requestParams(req, transformJSONSchema);
    // What failed attempts cost: the API bills input it processed even when no answer came back.
    let spent: Usage = emptyUsage();
    const withSpend = (err: LlmError): LlmError => Object.assign(err, { usage: spent, costUsd: costUsd(req.model, spent) });
    for (let attempt = 1; ; attempt++) {
      if (req.signal?.aborted) throw withSpend(toLlmError({ kind: 'aborted', retryable: false, reason: 'cancelled' }, attempt));
      const trace: AttemptTrace = { text: false, outputChars: 0 };
      try {
        const message = await streamOnce(client, params, req, trace, stallMs);
        return resultOf(req.model, message, spent, attempt - 1, performance.now() - started);
      } catch (err) {
        if (err instanceof CallbackError) throw err.error;
        const failure = classifyFailure(err, req.signal);
        if (!failure) throw err;
        spent = addUsage(spent, failedAttemptUsage(trace, failure, params));
        if (!failure.retryable || attempt >= policy.maxAttempts) throw withSpend(toLlmError(failure, attempt));
        const delayMs = retryDelayMs(attempt, failure.retryAfterMs, policy);
        req.onRetry?.({ attempt: attempt + 1, delayMs, reason: failure.reason, resetText: trace.text });
        await sleep(delayMs, req.signal);
      }
    }
  }

  return {
    call,
    warm: () => {
      sdk ??= loadSdk(opts);
      sdk.catch(() => undefined); // a failed load is reported by the call that awaits it
      // Headers and Response (the SDK's types) load with undici's JavaScript on first use; do it now.
      new Headers();
    },
  };
}

type StreamParams = Anthropic.MessageStreamParams;

function requestParams(req: LlmRequest, transformJSONSchema: Sdk['transformJSONSchema']): StreamParams {
  const output: Anthropic.OutputConfig = {
    ...(req.effort ? { effort: req.effort } : {}),
    // The SDK's transform makes a zod-derived schema acceptable to structured outputs
    // (unsupported constraints move into descriptions).
    ...(req.jsonSchema ? { format: { type: 'json_schema', schema: transformJSONSchema(req.jsonSchema) } } : {}),
  };
  return {
    model: req.model,
    max_tokens: req.maxTokens,
    ...withCacheBreakpoints(req.system, req.tools, req.messages, req.cacheTurns),
    ...(req.toolChoice ? { tool_choice: req.toolChoice } : {}),
    ...(req.thinking ? { thinking: req.thinking } : {}),
    ...(Object.keys(output).length ? { output_config: output } : {}),
  };
}

/**
 * One attempt. (The SDK rejects a stream that ends without message_stop: retried as a dropped
 * connection.) `trace` records what arrived, for the cost of an attempt that fails.
 */
async function streamOnce(client: MessagesClient, params: StreamParams, req: LlmRequest, trace: AttemptTrace, stallMs: number): Promise<Anthropic.Message> {
  let abort = () => {};
  const dog = new Watchdog(stallMs, () => abort());
  dog.kick();
  trace.watchdog = dog;
  // Run inside the watchdog's context so the SDK's fetch (http-fetch.ts) reports to it.
  const stream = currentWatchdog.run(dog, () => client.messages.stream(params, req.signal ? { signal: req.signal } : undefined));
  abort = () => stream.abort();
  let callbackError: CallbackError | undefined;
  // The text streamed so far in this message, and whether a new text block began since: two text
  // blocks of one turn are shown as two paragraphs (content.ts's blockSeparator).
  let shown = '';
  let newBlock = false;
  stream.on('streamEvent', (event) => {
    if (event.type === 'content_block_start' && event.content_block.type === 'text') newBlock = true;
    if (event.type === 'message_start') trace.started = event.message.usage;
    else if (event.type === 'message_delta') trace.outputTokens = event.usage.output_tokens;
    else if (event.type === 'content_block_delta') trace.outputChars += deltaChars(event.delta);
  });
  stream.on('text', (delta) => {
    if (callbackError || !delta) return;
    trace.text = true;
    const text = newBlock ? blockSeparator(shown) + delta : delta;
    newBlock = false;
    shown = (shown + text).slice(-2); // only its end matters to the separator
    try {
      req.onText?.(text);
    } catch (err) {
      callbackError = new CallbackError(err);
      stream.abort();
    }
  });
  if (req.onThinking) {
    stream.on('thinking', (delta) => {
      if (callbackError) return;
      try {
        req.onThinking?.(delta);
      } catch (err) {
        callbackError = new CallbackError(err);
        stream.abort();
      }
    });
  }
  try {
    const message = await stream.finalMessage();
    if (callbackError) throw callbackError;
    return message;
  } catch (err) {
    if (callbackError) throw callbackError;
    if (dog.stalled && !req.signal?.aborted) throw new StallError(dog.describe());
    throw err;
  } finally {
    dog.stop();
  }
}

function deltaChars(delta: Anthropic.RawContentBlockDelta): number {
  switch (delta.type) {
    case 'text_delta':
      return delta.text.length;
    case 'input_json_delta':
      return delta.partial_json.length;
    case 'thinking_delta':
      return delta.thinking.length;
    default:
      return 0;
  }
}

function resultOf(model: string, message: Anthropic.Message, failedSpend: Usage, retries: number, durationMs: number): LlmResult {
  const u = message.usage;
  const usage = addUsage(failedSpend, {
    inputTokens: u.input_tokens,
    outputTokens: u.output_tokens,
    cacheReadTokens: u.cache_read_input_tokens ?? 0,
    cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
  });
  return {
    content: message.content,
    stopReason: message.stop_reason,
    ...(message.stop_details ? { stopDetails: { category: message.stop_details.category, explanation: message.stop_details.explanation } } : {}),
    usage,
    costUsd: costUsd(model, usage),
    ...(priceFor(model).known ? {} : { costEstimated: true }),
    retries,
    model: message.model,
    durationMs,
  };
}

import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import * as z from '../../src/core/zod.js';
import { createLlmClient, type LlmClientOptions } from '../../src/llm/client.js';
import { textOf } from '../../src/llm/content.js';
import { costUsd } from '../../src/llm/pricing.js';
import { LlmError, type LlmRequest, type MessageParam, type RetryInfo } from '../../src/llm/types.js';
import { startFakeApi, textReply, toolReply, type FakeApi, type FakeReply } from '../support/fake-api.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi();
});
afterAll(() => api.close());
beforeEach(() => {
  api.journal.length = 0;
});

const client = (opts: LlmClientOptions = {}) => createLlmClient({ apiKey: 'test-key', baseURL: api.url, baseDelayMs: 1, maxDelayMs: 5, ...opts });
const request = (over: Partial<LlmRequest> = {}): LlmRequest => ({
  model: 'claude-sonnet-5-5',
  system: 'You are terse.',
  messages: [{ role: 'user', content: 'hello' }],
  maxTokens: 256,
  ...over,
});

/** Runs `req` against `script`, collecting streamed text and retry notices. */
async function run(script: FakeReply[], req: Partial<LlmRequest> = {}, opts: LlmClientOptions = {}) {
  api.setScript(script);
  const texts: string[] = [];
  const retries: RetryInfo[] = [];
  const outcome = await client(opts)
    .call(request({ onText: (t) => texts.push(t), onRetry: (r) => retries.push(r), ...req }))
    .then((result) => ({ result, error: undefined }))
    .catch((error: unknown) => ({ result: undefined, error }));
  return { ...outcome, texts, retries };
}

async function failure(script: FakeReply[], req: Partial<LlmRequest> = {}, opts: LlmClientOptions = {}) {
  const r = await run(script, req, opts);
  expect(r.error).toBeInstanceOf(LlmError);
  return { ...r, error: r.error as LlmError };
}

describe('streaming', () => {
  test('text arrives as several deltas; the result carries content, usage and cost', async () => {
    const answer = 'Streaming works one small piece at a time.';
    const { result, texts, retries } = await run([textReply(answer)]);
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.join('')).toBe(answer);
    expect(textOf(result!.content)).toBe(answer);
    expect(result!.stopReason).toBe('end_turn');
    expect(result!.retries).toBe(0);
    expect(retries).toEqual([]);
    expect(result!.model).toBe('claude-sonnet-5-5');
    const u = api.journal[0]!.usage!;
    expect(result!.usage).toEqual({
      inputTokens: u.input_tokens,
      outputTokens: u.output_tokens,
      cacheReadTokens: u.cache_read_input_tokens,
      cacheWriteTokens: u.cache_creation_input_tokens,
    });
    expect(result!.usage.outputTokens).toBe(Math.ceil(answer.length / 4));
    expect(result!.costUsd).toBeCloseTo(costUsd('claude-sonnet-5-5', result!.usage), 12);
    expect(result!.costUsd).toBeGreaterThan(0);
    expect(result!.costEstimated).toBeUndefined();
  });

  test('tool calls come back with their parsed input', async () => {
    const { result } = await run([toolReply('read_file', { path: 'src/a.ts', offset: 3 })]);
    expect(result!.stopReason).toBe('tool_use');
    expect(result!.content.filter((b) => b.type === 'tool_use')).toEqual([
      expect.objectContaining({ name: 'read_file', input: { path: 'src/a.ts', offset: 3 } }),
    ]);
  });

  test('an unknown model is priced from the fallback row and flagged', async () => {
    const { result } = await run([textReply('hi')], { model: 'claude-future-9' });
    expect(result!.costEstimated).toBe(true);
    expect(result!.costUsd).toBeCloseTo(costUsd('claude-future-9', result!.usage), 12);
  });

  test('structured output: the zod-derived schema is sent as output_config.format, with effort', async () => {
    const Decision = z.object({ pattern: z.string().check(z.minLength(1)), confidence: z.number().check(z.minimum(0), z.maximum(1)) });
    const { result } = await run([{ json: { pattern: 'direct', confidence: 0.8 } }], { jsonSchema: z.toJSONSchema(Decision), effort: 'low' });
    const sent = api.journal[0]!.body as { output_config: { effort: string; format: { type: string; schema: Record<string, unknown> } } };
    expect(sent.output_config.effort).toBe('low');
    expect(sent.output_config.format.type).toBe('json_schema');
    expect(sent.output_config.format.schema).toMatchObject({ type: 'object', additionalProperties: false, required: ['pattern', 'confidence'] });
    // Constraints structured outputs do not support move into descriptions.
    expect(JSON.stringify(sent.output_config.format.schema)).not.toContain('"minLength"');
    expect(Decision.parse(JSON.parse(textOf(result!.content)))).toEqual({ pattern: 'direct', confidence: 0.8 });
  });

  test('the SDK honours ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY when no options are given', async () => {
    const saved = { url: process.env.ANTHROPIC_BASE_URL, key: process.env.ANTHROPIC_API_KEY };
    process.env.ANTHROPIC_BASE_URL = api.url;
    process.env.ANTHROPIC_API_KEY = 'test-key';
    try {
      api.setScript([textReply('from env')]);
      const result = await createLlmClient().call(request());
      expect(textOf(result.content)).toBe('from env');
    } finally {
      restoreEnv('ANTHROPIC_BASE_URL', saved.url);
      restoreEnv('ANTHROPIC_API_KEY', saved.key);
    }
  });
});

describe('retries', () => {
  test('429 then success: one retry, honouring retry-after-ms', async () => {
    const { result, retries } = await run(
      [{ fault: 'http', status: 429, headers: { 'retry-after-ms': '0' } }, textReply('ok')],
      {},
      { baseDelayMs: 10_000, maxDelayMs: 60_000 },
    );
    expect(retries).toEqual([{ attempt: 2, delayMs: 0, reason: 'rate limited (429)', resetText: false }]);
    expect(result!.retries).toBe(1);
    expect(api.journal.map((e) => e.status)).toEqual([429, 200]);
  });

  test('retry-after in seconds is honoured, capped at maxDelayMs', async () => {
    const slept: number[] = [];
    const sleep = async (ms: number) => void slept.push(ms);
    await run(
      [{ fault: 'http', status: 429, headers: { 'retry-after': '2' } }, { fault: 'http', status: 429, headers: { 'retry-after': '120' } }, textReply('ok')],
      {},
      { sleep, maxDelayMs: 30_000 },
    );
    expect(slept).toEqual([2000, 30_000]);
  });

  test('529 three times then success: exponential backoff with full jitter, capped', async () => {
    const overloaded: FakeReply = { fault: 'http', status: 529 };
    const { result, retries } = await run([overloaded, overloaded, overloaded, textReply('ok')], {}, { baseDelayMs: 2, maxDelayMs: 5, random: () => 0.999 });
    expect(retries.map((r) => [r.attempt, r.delayMs, r.reason])).toEqual([
      [2, 2, 'overloaded (529)'],
      [3, 4, 'overloaded (529)'],
      [4, 5, 'overloaded (529)'], // 8 capped at maxDelayMs
    ]);
    expect(result!.retries).toBe(3);
    const low = await run([overloaded, textReply('ok')], {}, { baseDelayMs: 2, random: () => 0 });
    expect(low.retries[0]!.delayMs).toBe(0);
  });

  test('SSE overloaded_error mid-stream, then success: the retry says to reset the partial text', async () => {
    const { result, texts, retries } = await run([{ fault: 'sse_error', errorType: 'overloaded_error', afterText: 'Partial answ' }, textReply('Full answer.')]);
    expect(retries).toEqual([expect.objectContaining({ attempt: 2, reason: 'overloaded_error mid-stream', resetText: true })]);
    expect(texts.join('')).toBe('Partial answFull answer.');
    expect(textOf(result!.content)).toBe('Full answer.');
    expect(result!.retries).toBe(1);
  });

  test('SSE api_error mid-stream is retried too', async () => {
    const { result, retries } = await run([{ fault: 'sse_error', errorType: 'api_error' }, textReply('ok')]);
    expect(retries[0]!.reason).toBe('api_error mid-stream');
    expect(result!.retries).toBe(1);
  });

  test('connection dropped mid-stream, then success', async () => {
    const { result, texts, retries } = await run([{ fault: 'drop', afterText: 'Half of it' }, textReply('All of it.')]);
    expect(retries).toHaveLength(1);
    expect(retries[0]!.reason).toMatch(/^connection dropped mid-stream/);
    expect(retries[0]!.resetText).toBe(true);
    expect(texts.join('')).toBe('Half of itAll of it.');
    expect(textOf(result!.content)).toBe('All of it.');
  });

  test('a stream that ends without message_stop is retried', async () => {
    const { result, retries } = await run([{ fault: 'cut', afterText: 'cut short' }, textReply('complete')]);
    expect(retries[0]!.reason).toMatch(/^connection dropped mid-stream/);
    expect(textOf(result!.content)).toBe('complete');
  });

  test('gives up after maxAttempts with a one-line message', async () => {
    const unavailable: FakeReply = { fault: 'http', status: 503 };
    const { error, retries } = await failure([unavailable, unavailable, unavailable], {}, { maxAttempts: 3 });
    expect(error.message).toBe('API server error (503) — gave up after 3 attempts');
    expect(error.kind).toBe('server');
    expect(error.attempts).toBe(3);
    expect(retries).toHaveLength(2);
    expect(api.journal).toHaveLength(3);

    const limited: FakeReply = { fault: 'http', status: 429, headers: { 'retry-after-ms': '0' } };
    const rate = await failure(Array<FakeReply>(5).fill(limited));
    expect(rate.error.message).toBe('API rate limit (429) — gave up after 5 attempts');
    expect(rate.error.kind).toBe('rate_limited');
  });

  test('an unreachable API is a connection error after the attempts', async () => {
    const dead = await startFakeApi();
    await dead.close();
    const { error, retries } = await failure([], {}, { baseURL: dead.url, maxAttempts: 2 });
    expect(error.kind).toBe('connection');
    expect(error.message).toMatch(
      /^could not reach the API: connection failed \(ECONNREFUSED\) — gave up after 2 attempts; check the network or ANTHROPIC_BASE_URL$/,
    );
    expect(retries).toHaveLength(1);
  });
});

describe('no retry', () => {
  test('401 → auth error telling how to set ANTHROPIC_API_KEY, one attempt', async () => {
    const { error, retries } = await failure([textReply('never')], {}, { apiKey: 'wrong-key' });
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toBe('authentication failed (401): set ANTHROPIC_API_KEY to a valid key (https://console.anthropic.com)');
    expect(retries).toEqual([]);
    expect(api.journal).toHaveLength(1);
  });

  test('no key at all → auth error with the same hint, nothing sent', async () => {
    const saved = { key: process.env.ANTHROPIC_API_KEY, token: process.env.ANTHROPIC_AUTH_TOKEN };
    delete process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_AUTH_TOKEN;
    try {
      api.setScript([textReply('never')]);
      const error = await createLlmClient({ baseURL: api.url })
        .call(request())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LlmError);
      expect((error as LlmError).kind).toBe('auth');
      expect((error as LlmError).message).toBe('no API key: set ANTHROPIC_API_KEY to a valid key (https://console.anthropic.com)');
      expect(api.journal).toHaveLength(0);
    } finally {
      restoreEnv('ANTHROPIC_API_KEY', saved.key);
      restoreEnv('ANTHROPIC_AUTH_TOKEN', saved.token);
    }
  });

  test('400 from the API → bad_request with its explanation, no retry', async () => {
    const { error, retries } = await failure([textReply('never')], { messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] });
    expect(error.kind).toBe('bad_request');
    expect(error.message).toBe('bad request (400): messages.0.content.0: text content blocks must be non-empty');
    expect(retries).toEqual([]);
    expect(api.journal).toHaveLength(1);
  });

  test.each([
    [403, 'permission', /^permission denied \(403\): scripted HTTP 403$/],
    [404, 'not_found', /^not found \(404\): scripted HTTP 404 — check the model id \(--model\)$/],
    [413, 'too_large', /^request too large \(413\): scripted HTTP 413 — shorten/],
  ])('%i → %s, no retry', async (status, kind, message) => {
    const { error, retries } = await failure([{ fault: 'http', status }]);
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
    expect(retries).toEqual([]);
  });

  test('an exception in onText is the caller’s and is rethrown as is', async () => {
    api.setScript([textReply('some text to stream'), textReply('unused')]);
    const bug = new Error('ui exploded');
    const error = await client()
      .call(
        request({
          onText: () => {
            throw bug;
          },
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBe(bug);
    expect(api.journal).toHaveLength(1);
  });
});

describe('cancellation', () => {
  test('aborting a request that hangs → LlmError aborted, no retry', async () => {
    api.setScript([{ fault: 'hang' }]);
    const controller = new AbortController();
    const retries: RetryInfo[] = [];
    const pending = client().call(request({ signal: controller.signal, onRetry: (r) => retries.push(r) }));
    await until(() => api.journal.length === 1);
    controller.abort();
    const error = (await pending.catch((e: unknown) => e)) as LlmError;
    expect(error).toBeInstanceOf(LlmError);
    expect(error.kind).toBe('aborted');
    expect(error.message).toBe('request cancelled');
    expect(retries).toEqual([]);
    await until(() => api.journal[0]!.finishedAt !== undefined); // the HTTP request was closed
  });

  test('aborting during the backoff stops the retry loop', async () => {
    const controller = new AbortController();
    const { error } = await failure(
      [{ fault: 'http', status: 529, headers: { 'retry-after': '600' } }, textReply('never')],
      { signal: controller.signal, onRetry: () => controller.abort() },
      { maxDelayMs: 600_000 },
    );
    expect(error.kind).toBe('aborted');
    expect(api.journal).toHaveLength(1);
  });

  test('an already aborted signal sends nothing', async () => {
    const { error } = await failure([textReply('never')], { signal: AbortSignal.abort() });
    expect(error.kind).toBe('aborted');
    expect(api.journal).toHaveLength(0);
  });
});

describe('prompt caching', () => {
  const tools = ['read_file', 'grep', 'edit_file'].map((name) => ({
    name,
    description: `The ${name} tool.`,
    input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } },
  }));
  const system = 'You are a coding agent. '.repeat(200);

  test('breakpoints on the last tool, the system prompt and the latest turns; turn 2 reads turn 1 from cache', async () => {
    api.setScript([toolReply('read_file', { path: 'a.ts' }), textReply('done')]);
    const messages: MessageParam[] = [{ role: 'user', content: 'Read a.ts and explain it. '.repeat(20) }];
    const llm = client();
    const first = await llm.call(request({ system, tools, messages }));
    const use = first.content.find((b) => b.type === 'tool_use')!;
    messages.push(
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'export const a = 1;\n'.repeat(50) }] },
    );
    const snapshot = JSON.stringify(messages);
    const second = await llm.call(request({ system, tools, messages }));
    expect(JSON.stringify(messages)).toBe(snapshot); // the caller's history is untouched

    for (const entry of api.journal) {
      const body = entry.body as { system: unknown[]; tools: { cache_control?: unknown }[]; messages: { content: unknown[] }[] };
      expect(JSON.stringify(body).match(/"cache_control":\{/g)!.length).toBeLessThanOrEqual(4);
      expect(body.system).toEqual([{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }]);
      expect(body.tools.map((t) => t.cache_control ?? null)).toEqual([null, null, { type: 'ephemeral' }]);
      expect(body.messages.at(-1)!.content.at(-1)).toMatchObject({ cache_control: { type: 'ephemeral' } });
    }
    expect(first.usage.cacheReadTokens).toBe(0);
    expect(first.usage.cacheWriteTokens).toBeGreaterThan(0);
    // Turn 2 reads everything turn 1 wrote, and writes only what is new.
    expect(second.usage.cacheReadTokens).toBe(first.usage.cacheWriteTokens + first.usage.inputTokens);
    expect(second.usage.cacheWriteTokens).toBeLessThan(second.usage.cacheReadTokens);
  });
});

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

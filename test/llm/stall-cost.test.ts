/**
 * Stalls and the true cost of failed attempts: the real SDK against the fake API's stalling
 * streams. A stalled attempt is abandoned and retried visibly; what failed or cancelled attempts
 * cost (input the API processed) reaches the result or the error.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { totalInput } from '../../src/core/usage.js';
import { createLlmClient, type LlmClientOptions } from '../../src/llm/client.js';
import { textOf } from '../../src/llm/content.js';
import { costUsd } from '../../src/llm/pricing.js';
import { LlmError, type LlmRequest, type RetryInfo } from '../../src/llm/types.js';
import { startFakeApi, textReply, type ApiUsage, type FakeApi, type FakeReply } from '../support/fake-api.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi();
  // The first request loads the SDK and Node's fetch: slow on a busy machine, and not a stall.
  api.setScript([textReply('warm')]);
  await client({ stallMs: 60_000 }).call(request());
});
afterAll(() => api.close());
beforeEach(() => {
  api.journal.length = 0;
});

const MODEL = 'claude-sonnet-5-5';
const client = (opts: LlmClientOptions = {}) => createLlmClient({ apiKey: 'test-key', baseURL: api.url, baseDelayMs: 1, maxDelayMs: 5, stallMs: 300, ...opts });
const request = (over: Partial<LlmRequest> = {}): LlmRequest => ({
  model: MODEL,
  system: 'You are terse.',
  messages: [{ role: 'user', content: 'hello '.repeat(200) }],
  maxTokens: 256,
  ...over,
});

async function run(script: FakeReply[], req: Partial<LlmRequest> = {}, opts: LlmClientOptions = {}) {
  api.setScript(script);
  const texts: string[] = [];
  const retries: RetryInfo[] = [];
  const outcome = await client(opts)
    .call(request({ onText: (t) => texts.push(t), onRetry: (r) => retries.push(r), ...req }))
    .then((result) => ({ result, error: undefined }))
    .catch((error: unknown) => ({ result: undefined, error: error as LlmError }));
  return { ...outcome, texts, retries };
}

const asUsage = (u: ApiUsage) => ({
  inputTokens: u.input_tokens,
  cacheReadTokens: u.cache_read_input_tokens ?? 0,
  cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
});

describe('stall timeout', () => {
  test('silence mid-stream: the attempt is abandoned, the retry is visible and restarts the answer', async () => {
    const started = performance.now();
    const r = await run([{ fault: 'stall', afterText: 'half an ans' }, textReply('the whole answer')]);
    expect(r.error).toBeUndefined();
    expect(textOf(r.result!.content)).toBe('the whole answer');
    expect(r.retries).toEqual([expect.objectContaining({ attempt: 2, resetText: true, reason: 'no stream event for 0.3s (stalled)' })]);
    expect(r.result!.retries).toBe(1);
    expect(performance.now() - started).toBeLessThan(5_000);
    // The stalled attempt's input (its message_start usage) is part of the call's usage and cost.
    const [stalled, done] = api.journal;
    const input = stalled!.usage!.input_tokens + done!.usage!.input_tokens;
    expect(r.result!.usage.inputTokens).toBe(input);
    expect(r.result!.usage.outputTokens).toBeGreaterThan(done!.usage!.output_tokens); // the cut text counts too
    expect(r.result!.costUsd).toBeCloseTo(costUsd(MODEL, r.result!.usage), 12);
  });

  test('no response headers: abandoned and retried', async () => {
    const r = await run([{ fault: 'hang' }, textReply('late but here')]);
    expect(textOf(r.result!.content)).toBe('late but here');
    expect(r.retries).toEqual([expect.objectContaining({ attempt: 2, resetText: false, reason: 'no response headers for 0.3s (stalled)' })]);
  });

  test('the attempt limit still applies: a stream that always stalls fails with one line', async () => {
    const r = await run([{ fault: 'stall' }, { fault: 'stall' }, { fault: 'stall' }], {}, { maxAttempts: 3 });
    expect(r.error).toBeInstanceOf(LlmError);
    expect(r.error!.kind).toBe('connection');
    expect(r.error!.attempts).toBe(3);
    expect(r.error!.message).toMatch(/no stream event for 0\.3s \(stalled\) — gave up after 3 attempts/);
    expect(r.retries).toHaveLength(2);
    expect(api.journal).toHaveLength(3);
    // Three requests processed, three inputs billed.
    expect(r.error!.usage!.inputTokens).toBe(api.journal.reduce((n, j) => n + j.usage!.input_tokens, 0));
    expect(r.error!.costUsd).toBeGreaterThan(0);
  });

  test('a stream that keeps sending is never cut, however long it takes', async () => {
    const r = await run([textReply('x'.repeat(4000))], {}, { stallMs: 2_000 });
    expect(r.error).toBeUndefined();
    expect(r.retries).toEqual([]);
  });
});

describe('cost of cancelled and failed requests', () => {
  test('cancelled mid-stream: the input from message_start and the streamed output are counted', async () => {
    const controller = new AbortController();
    const r = await run(
      [{ fault: 'stall', afterText: 'some words before the cancel' }],
      {
        signal: controller.signal,
        onText: () => setTimeout(() => controller.abort(), 20),
      },
      { stallMs: 60_000 },
    );
    expect(r.error).toBeInstanceOf(LlmError);
    expect(r.error!.kind).toBe('aborted');
    expect(r.error!.usage).toMatchObject(asUsage(api.journal[0]!.usage!));
    expect(totalInput(r.error!.usage!)).toBeGreaterThan(0);
    expect(r.error!.usage!.outputTokens).toBe(Math.ceil('some words before the cancel'.length / 4));
    expect(r.error!.costUsd).toBeCloseTo(costUsd(MODEL, r.error!.usage!), 12);
  });

  test('cancelled before any response: the input is estimated from the request (characters / 4)', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const r = await run([{ fault: 'hang' }], { signal: controller.signal }, { stallMs: 60_000 });
    expect(r.error!.kind).toBe('aborted');
    const sent = JSON.stringify(api.journal[0]!.body).length;
    // The estimate serializes the SDK's params (no `stream` flag): within a few tokens of the body sent.
    expect(Math.abs(r.error!.usage!.inputTokens - sent / 4)).toBeLessThan(10);
    expect(r.error!.usage!.outputTokens).toBe(0);
    expect(r.error!.costUsd).toBeGreaterThan(0);
  });

  test('a request the API refused with an error status costs nothing', async () => {
    const r = await run([{ fault: 'http', status: 400 }]);
    expect(r.error!.kind).toBe('bad_request');
    expect(r.error!.usage).toEqual({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });
    expect(r.error!.costUsd).toBe(0);
  });

  test('retried after a 529 then a drop mid-stream: only the attempt that reached the model adds input', async () => {
    const r = await run([{ fault: 'http', status: 529 }, { fault: 'drop', afterText: 'par' }, textReply('ok')]);
    expect(r.result!.retries).toBe(2);
    const dropped = api.journal[1]!;
    const done = api.journal[2]!.usage!;
    // The fake does not journal usage for drops: the drop's input equals the final request's (same body, uncached).
    expect(dropped.status).toBe(200);
    expect(r.result!.usage.inputTokens + r.result!.usage.cacheReadTokens + r.result!.usage.cacheWriteTokens).toBeGreaterThan(done.input_tokens);
  });
});

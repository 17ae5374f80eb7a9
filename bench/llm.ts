/**
 * The LLM client against the fake Messages API:
 *  - prompt caching in a 10-turn agent-like conversation (stable tools and system, growing context):
 *    the share of input tokens read from cache from turn 2 on, and what that does to the cost;
 *  - the client's own overhead per call (SDK, streaming, cache breakpoints, retry wrapper) against a
 *    plain fetch of the same request body on the same server.
 */
import { createLlmClient } from '../src/llm/client.js';
import { costUsd } from '../src/llm/pricing.js';
import type { LlmRequest, MessageParam, ToolDefinition } from '../src/llm/types.js';
import { addUsage, emptyUsage, totalInput } from '../src/core/usage.js';
import { startFakeApi, textReply, toolReply, type FakeApi } from '../test/support/fake-api.js';
import { median, timeMs, type BenchRow } from './harness.js';

const MODEL = 'claude-sonnet-5-5';
const TURNS = 10;

const TOOLS: ToolDefinition[] = ['read_file', 'list_files', 'glob', 'grep', 'edit_file', 'write_file', 'bash', 'ask_user'].map((name) => ({
  name,
  description: `The ${name} tool: ${'does its one job precisely and returns a short result. '.repeat(3)}`,
  input_schema: { type: 'object', properties: { path: { type: 'string' }, pattern: { type: 'string' } } },
}));
const SYSTEM = `You are a coder agent working in a repository. ${'Follow the instructions; read before you edit; run the tests. '.repeat(80)}`;
const FILE = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n'.repeat(25);

async function cacheRows(api: FakeApi): Promise<BenchRow[]> {
  api.setScript((_req, i) => toolReply('read_file', { path: `src/file${i}.ts` }, { text: 'Let me read the next file.' }));
  const client = createLlmClient({ apiKey: 'test-key', baseURL: api.url });
  const messages: MessageParam[] = [{ role: 'user', content: 'Find where numbers are added and explain how the code is structured.' }];
  let laterTurns = emptyUsage();
  for (let turn = 1; turn <= TURNS; turn++) {
    const result = await client.call({ model: MODEL, system: SYSTEM, tools: TOOLS, messages, maxTokens: 1024 });
    if (turn > 1) laterTurns = addUsage(laterTurns, result.usage);
    const use = result.content.find((b) => b.type === 'tool_use')!;
    messages.push({ role: 'assistant', content: result.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: FILE }] });
  }
  const share = laterTurns.cacheReadTokens / totalInput(laterTurns);
  const uncached = { ...emptyUsage(), inputTokens: totalInput(laterTurns), outputTokens: laterTurns.outputTokens };
  return [
    { name: `cache-read share of input, turns 2-${TURNS}`, value: share * 100, unit: '%', target: '>= 80%', ok: share >= 0.8 },
    {
      name: `cost of turns 2-${TURNS} with cache breakpoints`,
      value: costUsd(MODEL, laterTurns) * 100,
      unit: 'cents',
      baseline: { name: 'same tokens uncached', value: costUsd(MODEL, uncached) * 100 },
    },
  ];
}

async function overheadRows(api: FakeApi): Promise<BenchRow[]> {
  api.setScript(() => textReply('A short answer of a few sentences, streamed in small pieces as the API does. '.repeat(4)));
  const client = createLlmClient({ apiKey: 'test-key', baseURL: api.url });
  const request: LlmRequest = {
    model: MODEL,
    system: SYSTEM,
    tools: TOOLS,
    messages: [{ role: 'user', content: 'Explain the code.' }],
    maxTokens: 1024,
    onText: () => {},
  };
  await client.call(request);
  // Replay exactly what the client sent, with the headers the fake requires.
  const body = JSON.stringify(api.journal.at(-1)!.body);
  const headers = { 'content-type': 'application/json', 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01' };
  const once = async () => (await fetch(`${api.url}/v1/messages`, { method: 'POST', headers, body })).text();
  // Interleaved, so both see the same machine load.
  const plainMs: number[] = [];
  const clientMs: number[] = [];
  for (let i = 0; i < 5; i++) await Promise.all([once(), client.call(request)]);
  for (let i = 0; i < 60; i++) {
    plainMs.push(await timeMs(once));
    clientMs.push(await timeMs(() => client.call(request)));
  }
  const plain = median(plainMs);
  const viaClient = median(clientMs);
  return [
    { name: 'client call, median', value: viaClient, unit: 'ms', baseline: { name: 'plain fetch of the same request', value: plain } },
    // A real call takes seconds: 10 ms is under 1% of it.
    { name: 'client overhead per call', value: viaClient - plain, unit: 'ms', target: '< 10 ms', ok: viaClient - plain < 10 },
  ];
}

export default async function llmBench(): Promise<BenchRow[]> {
  const api = await startFakeApi();
  try {
    return [...(await cacheRows(api)), ...(await overheadRows(api))];
  } finally {
    await api.close();
  }
}

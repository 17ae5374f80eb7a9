import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cutToolReply, emptyReply, refusalReply, routeBy, startFakeApi, textReply, toolReply, type FakeApi } from '../support/fake-api.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi();
});
afterAll(() => api.close());

const HEADERS = { 'content-type': 'application/json', 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01' };
const valid = () => ({ model: 'claude-sonnet-5-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] as unknown[] });

async function post(body: unknown, headers: Record<string, string> = HEADERS) {
  const res = await fetch(`${api.url}/v1/messages`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return {
    status: res.status,
    json: (await res.json()) as { type: string; error: { type: string; message: string }; content?: unknown[]; usage?: Record<string, number> },
  };
}

const toolUse = (id: string) => ({ type: 'tool_use', id, name: 'read_file', input: { path: 'a' } });
const toolResult = (id: string) => ({ type: 'tool_result', tool_use_id: id, content: 'ok' });
const tool = (name: string, schema: Record<string, unknown> = { type: 'object', properties: {} }) => ({ name, description: 'd', input_schema: schema });
const marked = { type: 'text', text: 'x', cache_control: { type: 'ephemeral' } };

describe('the fake refuses what the real API refuses', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['model missing', () => ({ ...valid(), model: undefined }), /model: Field required/],
    ['max_tokens missing', () => ({ ...valid(), max_tokens: undefined }), /max_tokens/],
    ['messages missing', () => ({ ...valid(), messages: undefined }), /messages: Field required/],
    ['first message not user', () => ({ ...valid(), messages: [{ role: 'assistant', content: 'hi' }] }), /first message must use the "user" role/],
    [
      'roles not alternating',
      () => ({
        ...valid(),
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
        ],
      }),
      /roles must alternate/,
    ],
    ['empty text block', () => ({ ...valid(), messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }), /text content blocks must be non-empty/],
    [
      'tool_use without tool_result after it',
      () => ({
        ...valid(),
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [toolUse('toolu_1')] },
          { role: 'user', content: 'b' },
        ],
      }),
      /`tool_use` ids were found without `tool_result` blocks immediately after: toolu_1/,
    ],
    [
      'tool_result not leading the next turn',
      () => ({
        ...valid(),
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [toolUse('toolu_1')] },
          { role: 'user', content: [{ type: 'text', text: 'b' }, toolResult('toolu_1')] },
        ],
      }),
      /without `tool_result` blocks immediately after/,
    ],
    [
      'tool_result for an id never requested',
      () => ({
        ...valid(),
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [toolUse('toolu_1')] },
          { role: 'user', content: [toolResult('toolu_1'), toolResult('toolu_9')] },
        ],
      }),
      /unexpected `tool_use_id` found in `tool_result` blocks: toolu_9/,
    ],
    [
      'duplicate tool_use ids',
      () => ({
        ...valid(),
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [toolUse('toolu_1')] },
          { role: 'user', content: [toolResult('toolu_1')] },
          { role: 'assistant', content: [toolUse('toolu_1')] },
          { role: 'user', content: [toolResult('toolu_1')] },
        ],
      }),
      /`tool_use` ids must be unique/,
    ],
    ['temperature', () => ({ ...valid(), temperature: 0.2 }), /temperature: Extra inputs are not permitted/],
    [
      'more than 4 cache breakpoints',
      () => ({ ...valid(), system: [marked, marked, marked], messages: [{ role: 'user', content: [marked, marked] }] }),
      /A maximum of 4 blocks with cache_control may be provided. Found 5/,
    ],
    ['bad tool name', () => ({ ...valid(), tools: [tool('read file')] }), /tools.0.custom.name: String should match pattern/],
    ['tool schema not an object', () => ({ ...valid(), tools: [tool('a', { type: 'string' })] }), /input_schema.type: Input should be 'object'/],
    ['output_config.format not a JSON schema', () => ({ ...valid(), output_config: { format: { type: 'json_schema', schema: 'x' } } }), /output_config.format/],
    [
      'structured-output object allowing extra properties',
      () => ({ ...valid(), output_config: { format: { type: 'json_schema', schema: { type: 'object', properties: {} } } } }),
      /additionalProperties/,
    ],
    ['unknown effort', () => ({ ...valid(), output_config: { effort: 'huge' } }), /output_config.effort/],
  ];
  test.each(cases)('%s → 400 invalid_request_error', async (_name, body, message) => {
    const before = api.journal.length;
    const { status, json } = await post(body());
    expect(status).toBe(400);
    expect(json.type).toBe('error');
    expect(json.error.type).toBe('invalid_request_error');
    expect(json.error.message).toMatch(message);
    const entry = api.journal[before]!;
    expect(entry.status).toBe(400);
    expect(entry.error).toMatch(message);
  });

  test('body that is not JSON → 400', async () => {
    const { status, json } = await post('{nope');
    expect(status).toBe(400);
    expect(json.error.message).toMatch(/not valid JSON/);
  });

  test('missing key → 401, wrong key → 401, Bearer token accepted', async () => {
    const noKey = await post(valid(), { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' });
    expect(noKey.status).toBe(401);
    expect(noKey.json.error).toEqual({ type: 'authentication_error', message: 'x-api-key header is required' });
    const wrong = await post(valid(), { ...HEADERS, 'x-api-key': 'other' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.message).toBe('invalid x-api-key');
    api.setScript([textReply('ok')]);
    const bearer = await post(valid(), { 'content-type': 'application/json', authorization: 'Bearer test-key', 'anthropic-version': '2023-06-01' });
    expect(bearer.status).toBe(200);
  });

  test('missing anthropic-version → 400', async () => {
    const { status, json } = await post(valid(), { 'content-type': 'application/json', 'x-api-key': 'test-key' });
    expect(status).toBe(400);
    expect(json.error.message).toMatch(/anthropic-version/);
  });

  test('a refused request does not consume a scripted reply', async () => {
    api.setScript([textReply('first')]);
    await post({ ...valid(), temperature: 1 });
    const ok = await post(valid());
    expect(ok.json.content).toEqual([{ type: 'text', text: 'first', citations: null }]);
  });
});

describe('answers', () => {
  test('a valid tool conversation is answered; ids are toolu_<n>; stop reasons default by content', async () => {
    api.setScript([toolReply('read_file', { path: 'a.ts' }), textReply('done')]);
    const first = await post({ ...valid(), tools: [tool('read_file')] });
    expect(first.status).toBe(200);
    const use = first.json.content![0] as { type: string; id: string; name: string; input: unknown };
    expect(use).toMatchObject({ type: 'tool_use', name: 'read_file', input: { path: 'a.ts' } });
    expect(use.id).toMatch(/^toolu_\d+$/);
    expect((first.json as { stop_reason?: string }).stop_reason).toBe('tool_use');
    const second = await post({
      ...valid(),
      tools: [tool('read_file')],
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: first.json.content },
        { role: 'user', content: [toolResult(use.id)] },
      ],
    });
    expect(second.status).toBe(200);
    expect((second.json as { stop_reason?: string }).stop_reason).toBe('end_turn');
  });

  test('streams text in several small deltas, ending with message_stop', async () => {
    api.setScript([textReply('The quick brown fox jumps over the lazy dog.')]);
    const res = await fetch(`${api.url}/v1/messages`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ ...valid(), stream: true }) });
    const sse = await res.text();
    const deltas = [...sse.matchAll(/"text_delta","text":"([^"]*)"/g)].map((m) => m[1]);
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe('The quick brown fox jumps over the lazy dog.');
    expect(sse.trim().endsWith('data: {"type":"message_stop"}')).toBe(true);
  });

  test('a request past the end of the script → 500 with the reason in the journal', async () => {
    api.setScript([]);
    const { status, json } = await post(valid());
    expect(status).toBe(500);
    expect(json.error.message).toMatch(/no scripted reply for request #1/);
    expect(api.journal.at(-1)!.error).toMatch(/no scripted reply/);
  });

  test('routeBy routes by request, labels the journal, and fails loudly when a route runs dry', async () => {
    api.setScript(
      routeBy({
        decide: { when: (r) => r.structured, replies: [{ json: { pattern: 'direct' } }] },
        agent: { when: (r) => r.toolNames.includes('read_file'), replies: (r) => textReply(`echo: ${r.lastText}`) },
      }),
    );
    const agent = await post({ ...valid(), tools: [tool('read_file')], messages: [{ role: 'user', content: 'ping' }] });
    expect(agent.json.content).toEqual([{ type: 'text', text: 'echo: ping', citations: null }]);
    expect(api.journal.at(-1)!.kind).toBe('agent');
    const schema = { type: 'object', properties: { pattern: { type: 'string' } }, required: ['pattern'], additionalProperties: false };
    const decide = await post({ ...valid(), output_config: { format: { type: 'json_schema', schema } } });
    expect(decide.json.content).toEqual([{ type: 'text', text: '{"pattern":"direct"}', citations: null }]);
    expect(api.journal.at(-1)!.kind).toBe('decide');
    const again = await post({ ...valid(), output_config: { format: { type: 'json_schema', schema } } });
    expect(again.status).toBe(500);
    expect(again.json.error.message).toMatch(/route "decide" has no reply for its request #2/);
    const unmatched = await post(valid());
    expect(unmatched.json.error.message).toMatch(/no route matches/);
  });

  test('cache ledger: breakpoints write, later requests read the longest cached prefix', async () => {
    api.setScript(() => textReply('ok'));
    const system = [{ type: 'text', text: 'S'.repeat(4000), cache_control: { type: 'ephemeral' } }];
    const turn1 = [{ role: 'user', content: [{ type: 'text', text: 'U'.repeat(400), cache_control: { type: 'ephemeral' } }] }];
    const first = await post({ ...valid(), system, messages: turn1 });
    expect(first.json.usage).toMatchObject({ cache_read_input_tokens: 0, input_tokens: 0 });
    expect(first.json.usage!.cache_creation_input_tokens).toBeGreaterThan(1000);
    const total1 = first.json.usage!.cache_creation_input_tokens!;

    // Same prefix unmarked, then new turns: the old breakpoint's prefix is read.
    const turn2 = [
      { role: 'user', content: [{ type: 'text', text: 'U'.repeat(400), cache_control: { type: 'ephemeral' } }] },
      { role: 'assistant', content: 'A'.repeat(40) },
      { role: 'user', content: [{ type: 'text', text: 'V'.repeat(400), cache_control: { type: 'ephemeral' } }] },
    ];
    const second = await post({ ...valid(), system, messages: turn2 });
    expect(second.json.usage!.cache_read_input_tokens).toBe(total1);
    expect(second.json.usage!.cache_creation_input_tokens).toBeGreaterThan(100);
    expect(second.json.usage!.input_tokens).toBe(0);

    // Another model has its own cache.
    const other = await post({ ...valid(), model: 'claude-haiku-5-5', system, messages: turn1 });
    expect(other.json.usage!.cache_read_input_tokens).toBe(0);

    // Without breakpoints everything is plain input.
    const plain = await post({ ...valid(), system: 'S'.repeat(4000) });
    expect(plain.json.usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
    expect(plain.json.usage!.input_tokens).toBeGreaterThan(1000);
  });

  test('faults: scripted HTTP status with headers', async () => {
    api.setScript([{ fault: 'http', status: 429, headers: { 'retry-after': '3' } }]);
    const res = await fetch(`${api.url}/v1/messages`, { method: 'POST', headers: HEADERS, body: JSON.stringify(valid()) });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('rate_limit_error');
  });

  test('journal entries carry headers, body, status, usage and times', async () => {
    api.setScript([textReply('hello')]);
    await post(valid());
    const e = api.journal.at(-1)!;
    expect(e.headers['x-api-key']).toBe('test-key');
    expect(e.body).toMatchObject({ model: 'claude-sonnet-5-5' });
    expect(e.status).toBe(200);
    expect(e.usage!.output_tokens).toBe(2); // ceil(5 / 4)
    expect(e.finishedAt).toBeGreaterThanOrEqual(e.startedAt);
  });
});

describe('a real model’s behaviour (issue 10)', () => {
  const sdkCall = async (body: Record<string, unknown>) => {
    const { default: Anthropic } = await import('@anthropic-ai/sdk');
    const client = new Anthropic({ apiKey: 'test-key', baseURL: api.url, maxRetries: 0 });
    return client.messages.stream(body as never).finalMessage();
  };
  const thinkingOn = { type: 'adaptive' } as const;

  test('signed thinking must come back byte-identical; an edited block is a 400', async () => {
    api.setScript([toolReply('read_file', { path: 'a' }, { thinking: ['plan: read a'] }), textReply('ok'), textReply('never')]);
    const first = await sdkCall({ ...valid(), max_tokens: 2000, thinking: thinkingOn });
    const [thinking, use] = first.content as [{ type: 'thinking'; thinking: string; signature: string }, { id: string }];
    expect(thinking).toMatchObject({ type: 'thinking', thinking: 'plan: read a' });
    expect(thinking.signature.length).toBeGreaterThan(20);
    const turn = (content: unknown[]) => ({
      ...valid(),
      max_tokens: 2000,
      thinking: thinkingOn,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content },
        { role: 'user', content: [toolResult(use.id)] },
      ],
    });
    expect((await post(turn(first.content))).status).toBe(200);
    const edited = await post(turn([{ ...thinking, thinking: 'plan: read b' }, first.content[1]]));
    expect(edited).toMatchObject({ status: 400, json: { error: { type: 'invalid_request_error' } } });
    expect(edited.json.error.message).toContain('Invalid `signature` in `thinking` block');
    const dropped = await post(turn([first.content[1]]));
    expect(dropped.status).toBe(400);
    expect(dropped.json.error.message).toContain('must start with a thinking block');
  });

  test('thinking config checked for the model: budget below max_tokens, adaptive not on 4.5 models', async () => {
    const budget = await post({ ...valid(), max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 2000 } });
    expect(budget.json.error.message).toContain('`max_tokens` must be greater than `thinking.budget_tokens`');
    const adaptive = await post({ ...valid(), model: 'claude-haiku-4-5', thinking: { type: 'adaptive' } });
    expect(adaptive.json.error.message).toMatch(/'adaptive' is not supported by claude-haiku-4-5/);
    const prefill = await post({
      ...valid(),
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ],
    });
    expect(prefill.json.error.message).toContain('does not support assistant message prefill');
  });

  test('refusal with stop_details, a tool call cut mid-input by max_tokens, empty content: as the SDK sees them', async () => {
    api.setScript([
      refusalReply('not this', { text: 'Sure', category: 'bio' }),
      cutToolReply('write_file', { path: 'x.txt', content: 'y'.repeat(100) }, 30),
      emptyReply(),
    ]);
    const refused = await sdkCall(valid());
    expect(refused.stop_reason).toBe('refusal');
    expect(refused.stop_details).toEqual({ type: 'refusal', category: 'bio', explanation: 'not this' });
    const cut = await sdkCall({ ...valid(), max_tokens: 300 });
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.usage.output_tokens).toBe(300);
    const input = (cut.content[0] as { input: { path?: string; content?: string } }).input;
    expect(input.path).toBe('x.txt');
    expect(input.content?.length ?? 0).toBeLessThan(100);
    const empty = await sdkCall(valid());
    expect(empty).toMatchObject({ content: [], stop_reason: 'end_turn' });
  });
});

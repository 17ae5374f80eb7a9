import type Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { charsOf, clearedStub, clearToolResults, estimateTokens, promptTooLong, WindowKeeper } from '../../src/agents/context-window.js';
import { CONTEXT_WINDOWS, contextWindowFor, PRICES } from '../../src/llm/pricing.js';

type Msg = Anthropic.MessageParam;
const big = (n: number, ch = 'x') => ch.repeat(n);

/** A conversation of `turns` read_file turns, each result `size` chars, ending with the current turn's results. */
function conversation(turns: number, size: number): Msg[] {
  const messages: Msg[] = [{ role: 'user', content: 'read the files' }];
  for (let i = 1; i <= turns; i++) {
    messages.push({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: `turn ${i}`, signature: `sig${i}` },
        { type: 'tool_use', id: `t${i}`, name: 'read_file', input: { path: `src/f${i}.ts` } },
      ],
    });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${i}`, content: big(size, String(i % 10)) }] });
  }
  return messages;
}

const resultOf = (m: Msg): Anthropic.ToolResultBlockParam => (m.content as Anthropic.ToolResultBlockParam[])[0]!;

describe('clearing old tool results', () => {
  it('clears oldest first, keeps the latest few and the current turn, stubs name the tool and input', () => {
    const messages = conversation(8, 10_000);
    const r = clearToolResults(messages, { needChars: Number.POSITIVE_INFINITY, keepLatest: 3 });
    // 8 results: the current turn's (t8) and the 3 before it (t5..t7) stay; t1..t4 are cleared.
    expect(r.cleared).toBe(4);
    const results = r.messages.filter((m) => m.role === 'user' && Array.isArray(m.content)).map(resultOf);
    expect(results.map((b) => b.tool_use_id)).toEqual(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8']);
    expect(results[0]!.content).toBe('[cleared to save context: read_file {"path":"src/f1.ts"} — call it again if needed]');
    expect(results[0]!.content).toBe(clearedStub('read_file', { path: 'src/f1.ts' }));
    for (const b of results.slice(4)) expect(b.content).toHaveLength(10_000);
    expect(r.savedChars).toBeGreaterThan(4 * 9_000);
    expect(charsOf(r.messages)).toBe(charsOf(messages) - r.savedChars);
  });

  it('never changes assistant turns (same objects) and does not mutate the input', () => {
    const messages = conversation(5, 5_000);
    const copy = JSON.stringify(messages);
    const r = clearToolResults(messages, { needChars: Number.POSITIVE_INFINITY, keepLatest: 0 });
    expect(JSON.stringify(messages)).toBe(copy);
    r.messages.forEach((m, i) => {
      if (m.role === 'assistant') expect(m).toBe(messages[i]);
    });
  });

  it('stops once enough is saved, skips small results, ask_user answers and earlier stubs; keeps is_error', () => {
    const messages: Msg[] = [
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'a', name: 'bash', input: { command: 'npm test' } },
          { type: 'tool_use', id: 'b', name: 'ask_user', input: { question: 'which?' } },
          { type: 'tool_use', id: 'c', name: 'grep', input: { pattern: 'x' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'a', content: big(3000), is_error: true },
          { type: 'tool_result', tool_use_id: 'b', content: `The user answered: ${big(3000)}` },
          { type: 'tool_result', tool_use_id: 'c', content: 'tiny' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'd', name: 'read_file', input: { path: 'a' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'd', content: big(3000) }] },
    ];
    const r = clearToolResults(messages, { needChars: 100, keepLatest: 0 });
    expect(r.cleared).toBe(1);
    const blocks = r.messages[2]!.content as Anthropic.ToolResultBlockParam[];
    expect(blocks[0]).toMatchObject({ tool_use_id: 'a', is_error: true, content: expect.stringContaining('bash {"command":"npm test"}') });
    expect(blocks[1]!.content).toContain('The user answered');
    expect(blocks[2]!.content).toBe('tiny');
    // Clearing again finds nothing more to clear: the stub is not replaced, the answer stays, the current turn stays.
    expect(clearToolResults(r.messages, { needChars: Number.POSITIVE_INFINITY, keepLatest: 0 }).cleared).toBe(0);
  });

  it('a long input is cut in the stub', () => {
    expect(clearedStub('write_file', { path: 'a', content: big(1000) }).length).toBeLessThan(300);
  });
});

describe('estimates and the keeper', () => {
  it('estimates chars/4 without a report, and the report plus the change with one', () => {
    const messages = conversation(2, 4000);
    expect(estimateTokens(messages, 400)).toBe(Math.ceil((charsOf(messages) + 400) / 4));
    const baseline = { tokens: 5000, chars: charsOf(messages) - 4000 };
    expect(estimateTokens(messages, 400, baseline)).toBe(6000);
  });

  it('reads the API message', () => {
    expect(promptTooLong('bad request (400): prompt is too long: 210345 tokens > 200000 maximum')).toEqual({
      tokens: 210345,
      maximum: 200000,
    });
    expect(promptTooLong('prompt is too long')).toEqual({});
    expect(promptTooLong('messages: roles must alternate')).toBeUndefined();
  });

  it('clears only past 80% of the window, down to about 60%; harder after an overflow', () => {
    const messages = conversation(10, 4000); // ~40k chars ≈ 10k tokens
    const tokens = estimateTokens(messages, 0);
    const roomy = new WindowKeeper(Math.ceil(tokens / 0.79), 0);
    expect(roomy.beforeRequest(messages)).toBeUndefined();
    const tight = new WindowKeeper(Math.floor(tokens / 0.9), 0);
    const c = tight.beforeRequest(messages)!;
    expect(c.tokensBefore).toBe(tokens);
    expect(c.tokensAfter).toBeLessThanOrEqual(Math.ceil(tight.window * 0.6));
    expect(c.tokensAfter).toBe(estimateTokens(c.messages, 0));
    // Overflow: the API's count is believed; only the current turn is kept.
    const hard = tight.afterOverflow(messages, tokens * 2, tight.window)!;
    expect(hard.tokensBefore).toBe(tokens * 2);
    expect(hard.cleared).toBe(9);
  });

  it('every priced model has a context window; overrides win, dated ids use their alias', () => {
    expect(Object.keys(CONTEXT_WINDOWS).sort()).toEqual(Object.keys(PRICES).sort());
    expect(contextWindowFor('claude-sonnet-4-5')).toBe(200_000);
    expect(contextWindowFor('claude-sonnet-4-5', { 'claude-sonnet-4-5': 1_000_000 })).toBe(1_000_000);
    expect(contextWindowFor('claude-sonnet-4-5-20990101', { 'claude-sonnet-4-5': 50_000 })).toBe(50_000);
    expect(contextWindowFor('unknown-model')).toBe(200_000);
  });
});

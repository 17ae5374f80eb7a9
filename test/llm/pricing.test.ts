import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { costUsd, FALLBACK_PRICE, PRICES, priceFor } from '../../src/llm/pricing.js';

/** The string literals of the SDK's `export type Model = ... | (string & {})`. */
function sdkModelIds(): string[] {
  const sdkDir = dirname(createRequire(import.meta.url).resolve('@anthropic-ai/sdk'));
  const dts = readFileSync(join(sdkDir, 'resources/messages/messages.d.ts'), 'utf8');
  const union = /export type Model = ([^;]+);/.exec(dts)![1]!;
  return [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

describe('pricing', () => {
  test('every model id of the SDK has its own price row', () => {
    const ids = sdkModelIds();
    expect(ids.length).toBeGreaterThan(10);
    expect(ids.filter((id) => !(id in PRICES))).toEqual([]);
  });

  test('list prices: a few spot checks', () => {
    expect(PRICES['claude-sonnet-5-5']).toEqual({ input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 });
    expect(PRICES['claude-haiku-5-5']).toEqual({ input: 0.1, output: 0.5, cacheWrite: 0.125, cacheRead: 0.01 });
    expect(PRICES['claude-fable-5']).toMatchObject({ input: 10, output: 50, cacheRead: 1 });
    expect(PRICES['claude-opus-4-5-20251101']).toEqual(PRICES['claude-opus-4-5']);
  });

  test('cost arithmetic: each bucket at its own rate, per million tokens', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 2_000_000, cacheWriteTokens: 400_000 };
    // sonnet-5-5: 1M*2 + 0.1M*10 + 2M*0.10 + 0.4M*2.50 = 2 + 1 + 0.2 + 1 = 4.2
    expect(costUsd('claude-sonnet-5-5', usage)).toBeCloseTo(4.2, 10);
    // haiku-4-5: 1 + 0.5 + 0.2 + 0.5 = 2.2
    expect(costUsd('claude-haiku-4-5', usage)).toBeCloseTo(2.2, 10);
    expect(costUsd('claude-opus-5', { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 })).toBe(0);
  });

  test('a dated snapshot is priced as its alias; an unknown model falls back and is flagged', () => {
    expect(priceFor('claude-opus-4-8-20270101')).toEqual({ price: PRICES['claude-opus-4-8'], known: true });
    const unknown = priceFor('gpt-nope');
    expect(unknown).toEqual({ price: FALLBACK_PRICE, known: false });
    // The fallback is never cheaper than any listed model.
    for (const p of Object.values(PRICES)) {
      expect(FALLBACK_PRICE.input).toBeGreaterThanOrEqual(p.input);
      expect(FALLBACK_PRICE.output).toBeGreaterThanOrEqual(p.output);
      expect(FALLBACK_PRICE.cacheRead).toBeGreaterThanOrEqual(p.cacheRead);
    }
  });
});

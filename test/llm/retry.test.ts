import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { retryDelayMs, sleep, type RetryPolicy } from '../../src/llm/retry.js';

const policy = (random: number): RetryPolicy => ({ maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, random: () => random });

describe('retryDelayMs', () => {
  test('full jitter within [0, min(max, base * 2^n)]', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, undefined, policy(0.5)))).toEqual([250, 500, 1000, 2000]);
    expect(retryDelayMs(1, undefined, policy(0))).toBe(0);
    expect(retryDelayMs(10, undefined, policy(0.999_999))).toBe(30_000);
  });

  test('the server’s retry-after wins, capped at maxDelayMs', () => {
    expect(retryDelayMs(1, 1234, policy(0.5))).toBe(1234);
    expect(retryDelayMs(1, 0, policy(0.5))).toBe(0);
    expect(retryDelayMs(1, 90_000, policy(0.5))).toBe(30_000);
  });

  test('sleep ends early when the signal aborts', async () => {
    const controller = new AbortController();
    const slept = sleep(600_000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBeUndefined();
  });
});

describe('startup cost', () => {
  test('only sdk.ts imports the SDK at top level, and it is loaded by import() inside a call', () => {
    const dir = new URL('../../src/llm/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'sdk.ts')) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      expect(source, file).not.toMatch(/^import (?!type )[^;]*['"]@anthropic-ai\/sdk/m);
      expect(source, file).not.toMatch(/^import (?!type )[^;]*['"]\.\/sdk\.js/m);
    }
  });
});

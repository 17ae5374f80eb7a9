import type { Usage } from '../core/usage.js';

/** List prices in USD per million tokens. cacheWrite is the 5-minute cache write. */
export interface Price {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

/** 5-minute cache writes cost 1.25x input unless a model's list says otherwise. */
const row = (input: number, output: number, cacheRead: number, cacheWrite = input * 1.25): Price => ({ input, output, cacheWrite, cacheRead });

/** One row per model id of the SDK's `Model` type (test/llm/pricing.test.ts checks the list is complete). */
export const PRICES: Readonly<Record<string, Price>> = {
  'claude-fable-5-2': row(10, 50, 0.25), // unlisted: priced as its sibling claude-fable-5-1
  'claude-fable-5-1': row(10, 50, 0.25),
  'claude-fable-5': row(10, 50, 1.0),
  'claude-mythos-5-2': row(10, 50, 0.25), // unlisted: priced as its sibling claude-mythos-5-1
  'claude-mythos-5-1': row(10, 50, 0.25),
  'claude-mythos-5': row(10, 50, 1.0),
  'claude-mythos-preview': row(10, 50, 1.0), // unlisted: priced as claude-mythos-5
  'claude-opus-5-5': row(4, 20, 0.2),
  'claude-opus-5': row(5, 25, 0.5),
  'claude-opus-4-8': row(5, 25, 0.5),
  'claude-opus-4-7': row(5, 25, 0.5),
  'claude-opus-4-6': row(5, 25, 0.5),
  'claude-opus-4-5': row(5, 25, 0.5),
  'claude-opus-4-5-20251101': row(5, 25, 0.5), // dated alias of claude-opus-4-5
  'claude-sonnet-5-5': row(2, 10, 0.1),
  'claude-sonnet-5': row(2, 10, 0.2),
  'claude-sonnet-4-6': row(3, 15, 0.3),
  'claude-sonnet-4-5': row(3, 15, 0.3),
  'claude-sonnet-4-5-20250929': row(3, 15, 0.3), // dated alias of claude-sonnet-4-5
  'claude-haiku-5-5': row(0.1, 0.5, 0.01, 0.125),
  'claude-haiku-4-5': row(1, 5, 0.1),
  'claude-haiku-4-5-20251001': row(1, 5, 0.1), // dated alias of claude-haiku-4-5
};

/** For a model we do not know: the most expensive row, so budgets err on the safe side. */
export const FALLBACK_PRICE: Price = row(10, 50, 1.0);

/** The model's price; `known` is false when it came from FALLBACK_PRICE (callers warn once). */
export function priceFor(model: string): { price: Price; known: boolean } {
  // A dated snapshot (`<alias>-YYYYMMDD`) costs what its alias costs.
  const price = PRICES[model] ?? PRICES[model.replace(/-\d{8}$/, '')];
  return price ? { price, known: true } : { price: FALLBACK_PRICE, known: false };
}

export function costUsd(model: string, usage: Usage): number {
  const { price } = priceFor(model);
  return (
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheWriteTokens * price.cacheWrite +
      usage.cacheReadTokens * price.cacheRead) /
    1_000_000
  );
}

/**
 * Each model's input context window in tokens, beside its price (same ids; the pricing test checks
 * both tables list the same models). 200k is the standard window: baton does not ask for a larger
 * beta window. A run can override a row (config `contextWindows`).
 */
export const DEFAULT_CONTEXT_WINDOW = 200_000;
export const CONTEXT_WINDOWS: Readonly<Record<string, number>> = Object.fromEntries(Object.keys(PRICES).map((id) => [id, DEFAULT_CONTEXT_WINDOW]));

/** The model's context window: an override for it, else its row (or its alias's for a dated snapshot), else the standard 200k. */
export function contextWindowFor(model: string, overrides?: Readonly<Record<string, number>>): number {
  const alias = model.replace(/-\d{8}$/, '');
  return overrides?.[model] ?? overrides?.[alias] ?? CONTEXT_WINDOWS[model] ?? CONTEXT_WINDOWS[alias] ?? DEFAULT_CONTEXT_WINDOW;
}

/**
 * What each model accepts for extended thinking, and how many output tokens it may produce: the
 * engine asks for thinking only in a form the model takes, and raises max_tokens only as far as
 * the model allows. Ids follow the SDK's `Model` list (the same ids as pricing.ts).
 */
import type Anthropic from '@anthropic-ai/sdk';
import { PRICES } from './pricing.js';

/** `adaptive`: the model decides how much to think; `enabled`: a fixed budget; `none`: unknown model, ask for nothing. */
export type ThinkingKind = 'adaptive' | 'enabled' | 'none';

const base = (model: string) => model.replace(/-\d{8}$/, '');

/** The 4.5 generation takes only budgeted thinking; the later ones take adaptive (and warn on budgets). */
export function thinkingKind(model: string): ThinkingKind {
  const id = base(model);
  if (!(id in PRICES)) return 'none';
  return /^claude-(opus|sonnet|haiku)-4-5$/.test(id) ? 'enabled' : 'adaptive';
}

/** The most output tokens a request to this model may ask for (undefined: unknown, do not raise). */
export function maxOutputTokens(model: string): number | undefined {
  const id = base(model);
  if (!(id in PRICES)) return undefined;
  if (/^claude-(opus|mythos|fable)-/.test(id) && id !== 'claude-opus-4-5') return 128_000;
  return 64_000;
}

/**
 * The thinking config of a worker request: adaptive where the model takes it, else a budget of
 * a quarter of max_tokens (at least the API's minimum of 1,024, always below max_tokens).
 * Thinking is shown, so `display: summarized` (some models omit it by default).
 */
export function workerThinking(model: string, maxTokens: number): Anthropic.ThinkingConfigParam | undefined {
  switch (thinkingKind(model)) {
    case 'adaptive':
      return { type: 'adaptive', display: 'summarized' };
    case 'enabled': {
      const budget = Math.max(1024, Math.floor(maxTokens / 4));
      return budget < maxTokens ? { type: 'enabled', budget_tokens: budget, display: 'summarized' } : undefined;
    }
    default:
      return undefined;
  }
}

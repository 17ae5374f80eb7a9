import { describe, expect, it } from 'vitest';
import { PRICES } from '../../src/llm/pricing.js';
import { maxOutputTokens, thinkingKind, workerThinking } from '../../src/llm/thinking.js';

describe('thinking per model', () => {
  it('every known model has a kind and an output ceiling; the 4.5 generation takes only a budget', () => {
    for (const model of Object.keys(PRICES)) {
      expect(thinkingKind(model)).not.toBe('none');
      expect(maxOutputTokens(model)).toBeGreaterThanOrEqual(64_000);
    }
    expect(thinkingKind('claude-haiku-4-5-20251001')).toBe('enabled');
    expect(thinkingKind('claude-sonnet-5-5')).toBe('adaptive');
    expect(thinkingKind('some-proxy-model')).toBe('none');
    expect(maxOutputTokens('some-proxy-model')).toBeUndefined();
  });

  it('a budget stays at least 1,024 and below max_tokens; no config where none fits or the model is unknown', () => {
    expect(workerThinking('claude-sonnet-4-5', 16_384)).toEqual({ type: 'enabled', budget_tokens: 4096, display: 'summarized' });
    expect(workerThinking('claude-sonnet-4-5', 1024)).toBeUndefined();
    expect(workerThinking('claude-opus-5', 16_384)).toEqual({ type: 'adaptive', display: 'summarized' });
    expect(workerThinking('unknown', 16_384)).toBeUndefined();
  });
});

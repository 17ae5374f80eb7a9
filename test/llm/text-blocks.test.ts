import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLlmClient } from '../../src/llm/client.js';
import { blockSeparator, textOf } from '../../src/llm/content.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi();
});
afterAll(() => api.close());

describe('text blocks of one turn', () => {
  test('textOf separates text blocks by one blank line, whatever line breaks they end with', () => {
    const t = (text: string) => ({ type: 'text', text });
    expect(textOf([t('a'), t('b')])).toBe('a\n\nb');
    expect(textOf([t('a\n'), t('b')])).toBe('a\n\nb');
    expect(textOf([t('a\n\n'), t('b')])).toBe('a\n\nb');
    expect(textOf([t(''), t('b'), { type: 'tool_use' }, t('c')])).toBe('b\n\nc');
    expect(textOf([t('{"x":1}')])).toBe('{"x":1}'); // one block: untouched (structured output)
    expect(blockSeparator('')).toBe('');
  });

  test('the streamed deltas add up to exactly textOf of the final content', async () => {
    api.setScript([{ text: 'One.\n', moreText: ['Two.', 'Three.'], toolUses: [{ name: 'read_file', input: { path: 'a' } }] }]);
    const deltas: string[] = [];
    const res = await createLlmClient({ apiKey: 'test-key', baseURL: api.url }).call({
      model: 'claude-sonnet-5-5',
      system: 's',
      messages: [{ role: 'user', content: 'go' }],
      maxTokens: 100,
      onText: (d) => deltas.push(d),
    });
    expect(deltas.join('')).toBe('One.\n\nTwo.\n\nThree.');
    expect(textOf(res.content)).toBe(deltas.join(''));
  });
});

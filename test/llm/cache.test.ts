import { describe, expect, test } from 'vitest';
import { withCacheBreakpoints } from '../../src/llm/cache.js';
import type { MessageParam, ToolDefinition } from '../../src/llm/types.js';

const EPHEMERAL = { type: 'ephemeral' };
const tool = (name: string): ToolDefinition => ({ name, description: name, input_schema: { type: 'object' } });
const count = (x: unknown) => (JSON.stringify(x).match(/"cache_control":\{/g) ?? []).length;

describe('withCacheBreakpoints', () => {
  test('a first turn: last tool, system, the only message', () => {
    const out = withCacheBreakpoints('sys', [tool('a'), tool('b')], [{ role: 'user', content: 'hi' }]);
    expect(out.system).toEqual([{ type: 'text', text: 'sys', cache_control: EPHEMERAL }]);
    expect(out.tools).toEqual([tool('a'), { ...tool('b'), cache_control: EPHEMERAL }]);
    expect(out.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: EPHEMERAL }] }]);
  });

  test('later turns mark the previous user turn and the last one; stale markers are dropped; at most four', () => {
    const messages: MessageParam[] = [
      { role: 'user', content: [{ type: 'text', text: 'one', cache_control: { type: 'ephemeral' } }] },
      { role: 'assistant', content: 'two' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'three' },
          { type: 'text', text: 'three b', cache_control: { type: 'ephemeral' } },
        ],
      },
      { role: 'assistant', content: 'four' },
      { role: 'user', content: 'five' },
    ];
    const before = structuredClone(messages);
    const out = withCacheBreakpoints('sys', [tool('a')], messages);
    expect(messages).toEqual(before); // not mutated
    expect(count(out)).toBe(4);
    expect(count(out.messages[0])).toBe(0);
    expect(out.messages[2]!.content).toEqual([
      { type: 'text', text: 'three' },
      { type: 'text', text: 'three b', cache_control: EPHEMERAL },
    ]);
    expect(out.messages[4]!.content).toEqual([{ type: 'text', text: 'five', cache_control: EPHEMERAL }]);
    expect(out.messages[1]).toBe(messages[1]); // untouched messages are shared, not copied
  });

  test('no tools and an empty system prompt are left out', () => {
    const out = withCacheBreakpoints('', undefined, [{ role: 'user', content: 'x' }]);
    expect(out).not.toHaveProperty('system');
    expect(out).not.toHaveProperty('tools');
    expect(count(out)).toBe(1);
  });
});

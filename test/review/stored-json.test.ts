import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { readDecision, readObject, readStringList, readThinking } from '../../src/cli/review/stored-json.js';
import { prng } from '../support/prng.js';

// The classic zod schemas show used before its readers moved to zod/mini: the readers must accept,
// default, keep and order exactly what these did, on thousands of random documents.
const storedDecisionSchema = z.looseObject({
  pattern: z.string().optional(),
  agents: z
    .array(
      z.looseObject({
        role: z.string(),
        model: z.string().optional(),
        effort: z.string().optional(),
        maxTurns: z.number().optional(),
        instructions: z.string().default(''),
      }),
    )
    .default([]),
  reasoning: z.string().optional(),
  expectations: z.union([z.string(), z.array(z.string())]).optional(),
  lessonsUsed: z.array(z.number()).default([]),
  confidence: z.number().optional(),
});
const objectSchema = z.record(z.string(), z.unknown());
const stringListSchema = z.array(z.string());
const conversationSchema = z.looseObject({
  messages: z.array(z.looseObject({ role: z.string(), content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]) })).default([]),
});

function zodRead<T>(schema: z.ZodType<T>, text: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function zodThinking(text: string): string[] {
  const c = zodRead(conversationSchema, text);
  if (!c) return [];
  return c.messages.flatMap((m) =>
    m.role !== 'assistant' || typeof m.content === 'string'
      ? []
      : m.content.flatMap((b) =>
          b.type === 'thinking' && typeof b.thinking === 'string' && b.thinking
            ? [b.thinking]
            : b.type === 'redacted_thinking'
              ? ['(redacted by the API)']
              : [],
        ),
  );
}

/** Same value, same key order everywhere (what `--json` prints), same undefined. */
const same = (a: unknown, b: unknown) => expect(a === undefined ? 'undefined' : JSON.stringify(a)).toBe(b === undefined ? 'undefined' : JSON.stringify(b));

/** Random JSON close to the stored shapes: the declared fields, sometimes of the wrong type, missing or joined by others. */
function randomDoc(rnd: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const scalar = (): unknown => pick(['', 'text', 0, 1.5, -3, true, false, null, '1e999']);
  const value = (depth: number): unknown => {
    const x = rnd();
    if (depth > 2 || x < 0.5) return scalar();
    if (x < 0.75) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
    return object(depth + 1);
  };
  const keys = [
    'pattern',
    'agents',
    'reasoning',
    'expectations',
    'lessonsUsed',
    'confidence',
    'role',
    'model',
    'effort',
    'maxTurns',
    'instructions',
    'messages',
    'content',
    'type',
    'thinking',
    'extra',
    '2',
    'constructor',
    'toString',
    '__proto__',
  ];
  const typed: Record<string, () => unknown> = {
    pattern: () => 'direct',
    agents: () => Array.from({ length: Math.floor(rnd() * 3) }, () => object(3, ['role', 'model', 'effort', 'maxTurns', 'instructions'])),
    reasoning: () => 'because',
    expectations: () => (rnd() < 0.5 ? 'tests pass' : ['a', 'b']),
    lessonsUsed: () => [1, 2],
    confidence: () => 0.7,
    role: () => pick(['assistant', 'user', 'coder']),
    model: () => 'm',
    effort: () => 'high',
    maxTurns: () => 12,
    instructions: () => 'do it',
    messages: () => Array.from({ length: Math.floor(rnd() * 3) }, () => object(3, ['role', 'content'])),
    content: () => (rnd() < 0.3 ? 'plain' : Array.from({ length: Math.floor(rnd() * 3) }, () => object(3, ['type', 'thinking', 'text']))),
    type: () => pick(['thinking', 'redacted_thinking', 'text']),
    thinking: () => pick(['', 'hmm', 'so']),
  };
  function object(depth: number, preferred = keys): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of preferred) {
      if (rnd() < 0.3) continue;
      const v = rnd() < 0.8 && Object.hasOwn(typed, k) ? typed[k]!() : value(depth);
      if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
      else out[k] = v;
    }
    if (rnd() < 0.3) out[pick(keys)] = value(depth);
    return out;
  }
  const top = rnd();
  const text = top < 0.85 ? JSON.stringify(object(0)) : JSON.stringify(value(0));
  // Now and then a number JSON reads as Infinity, or text that is not JSON at all.
  return rnd() < 0.05 ? text.replace('"1e999"', '1e999') : rnd() < 0.02 ? text.slice(0, -1) : text;
}

describe('stored JSON readers (show)', () => {
  it('read a decision as the zod schema did: defaults, extra fields after the declared ones, misfits undefined', () => {
    const full = {
      extra: 1,
      confidence: 0.8,
      agents: [{ instructions: 'go', role: 'coder', x: [1] }],
      pattern: 'direct',
      lessonsUsed: [3],
      expectations: ['a'],
    };
    const read = readDecision(JSON.stringify(full));
    expect(Object.keys(read!)).toEqual(['pattern', 'agents', 'expectations', 'lessonsUsed', 'confidence', 'extra']);
    expect(Object.keys(read!.agents[0]!)).toEqual(['role', 'instructions', 'x']);
    same(readDecision('{}'), { agents: [], lessonsUsed: [] });
    same(readDecision('{"agents":[{"role":"coder"}]}'), { agents: [{ role: 'coder', instructions: '' }], lessonsUsed: [] });
    for (const bad of ['[]', 'null', '"x"', '{"agents":[{}]}', '{"confidence":"high"}', '{"lessonsUsed":[1e999]}', '{"pattern":null}', 'not json']) {
      expect(readDecision(bad)).toBeUndefined();
      expect(zodRead(storedDecisionSchema, bad)).toBeUndefined();
    }
  });

  it('agree with the zod schemas on thousands of random documents', () => {
    const rnd = prng(11);
    let fits = 0;
    for (let i = 0; i < 2500; i++) {
      const text = randomDoc(rnd);
      const decision = readDecision(text);
      same(decision, zodRead(storedDecisionSchema, text));
      same(readObject(text), zodRead(objectSchema, text));
      same(readStringList(text), zodRead(stringListSchema, text));
      expect(readThinking(text)).toEqual(zodThinking(text));
      if (decision) fits++;
    }
    // both outcomes are exercised
    expect(fits).toBeGreaterThan(100);
    expect(fits).toBeLessThan(2400);
  });

  it('read string lists, objects and thinking as the zod schemas did', () => {
    same(readStringList('["a","b"]'), ['a', 'b']);
    expect(readStringList('["a",1]')).toBeUndefined();
    expect(readStringList(null)).toBeUndefined();
    same(readObject('{"2":1,"b":2,"a":{"__proto__":3}}'), { 2: 1, b: 2, a: JSON.parse('{"__proto__":3}') });
    expect(Object.keys(readObject('{"__proto__":1,"a":2}')!)).toEqual(['a']);
    expect(readObject('[1]')).toBeUndefined();
    const conversation = {
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: [{ type: 'thinking', thinking: 'first' }, { type: 'redacted_thinking' }, { type: 'text', text: 'x' }, { type: 'thinking', thinking: '' }],
        },
      ],
    };
    expect(readThinking(JSON.stringify(conversation))).toEqual(['first', '(redacted by the API)']);
    expect(readThinking('{"messages":[{"role":"assistant","content":[{"thinking":"no type"}]}]}')).toEqual([]);
    expect(readThinking(undefined)).toEqual([]);
  });
});

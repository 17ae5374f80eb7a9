/**
 * Tolerant readers for the JSON columns `baton show` displays. They accept what any version of the
 * writers stored (extra fields kept, missing ones defaulted), so an old or partial row is shown as
 * far as it can be instead of failing the whole view; a value that does not fit reads as undefined.
 *
 * Written out by hand rather than with zod: loading zod (~200 KB) cost `baton show` more than
 * everything else it does. They keep the rules of the zod schemas they replaced (loose objects:
 * declared fields first in declaration order, then the others as stored, `__proto__` dropped;
 * defaults for missing fields; numbers finite); test/review/stored-json.test.ts holds those
 * schemas and checks both agree.
 */

export interface StoredAgent {
  role: string;
  model?: string;
  effort?: string;
  maxTurns?: number;
  instructions: string;
  [extra: string]: unknown;
}

export interface StoredDecision {
  pattern?: string;
  agents: StoredAgent[];
  reasoning?: string;
  expectations?: string | string[];
  lessonsUsed: number[];
  confidence?: number;
  [extra: string]: unknown;
}

/** Thrown inside a reader when a value does not fit; never leaves this module. */
const MISFIT = Symbol('misfit');
type Check<T> = (value: unknown) => T;

const misfit = (): never => {
  throw MISFIT;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const string: Check<string> = (v) => (typeof v === 'string' ? v : misfit());
const number: Check<number> = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : misfit());
const array =
  <T>(item: Check<T>): Check<T[]> =>
  (v) =>
    Array.isArray(v) ? v.map(item) : misfit();
const stringOrList: Check<string | string[]> = (v) => (typeof v === 'string' ? v : array(string)(v));

/** How a declared field is read: required, optional (left out when absent) or with a default. */
type Field = { check: Check<unknown>; absent: 'required' | 'omit' | (() => unknown) };
const required = (check: Check<unknown>): Field => ({ check, absent: 'required' });
const optional = (check: Check<unknown>): Field => ({ check, absent: 'omit' });
const withDefault = (check: Check<unknown>, value: () => unknown): Field => ({ check, absent: value });

/** An object with declared fields, other fields kept as they are. */
function looseObject<T>(fields: Record<string, Field>): Check<T> {
  const declared = Object.keys(fields);
  // A Set, not `in fields`: a stored field named like an Object.prototype member is still an extra field.
  const isDeclared = new Set(declared);
  return (v) => {
    if (!isObject(v)) return misfit();
    const out: Record<string, unknown> = {};
    for (const key of declared) {
      const field = fields[key]!;
      if (key in v) out[key] = field.check(v[key]);
      else if (field.absent === 'required') misfit();
      else if (field.absent !== 'omit') out[key] = field.absent();
    }
    for (const key in v) if (!isDeclared.has(key) && key !== '__proto__') out[key] = v[key];
    return out as T;
  };
}

/** Any object: a shallow copy, without an own `__proto__` key (it would not survive as data). */
const record: Check<Record<string, unknown>> = (v) => {
  if (!isObject(v)) return misfit();
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) if (key !== '__proto__') out[key] = v[key];
  return out;
};

const decision = looseObject<StoredDecision>({
  pattern: optional(string),
  agents: withDefault(
    array(
      looseObject<StoredAgent>({
        role: required(string),
        model: optional(string),
        effort: optional(string),
        maxTurns: optional(number),
        instructions: withDefault(string, () => ''),
      }),
    ),
    () => [],
  ),
  reasoning: optional(string),
  expectations: optional(stringOrList),
  lessonsUsed: withDefault(array(number), () => []),
  confidence: optional(number),
});

interface StoredBlock {
  type: string;
  [extra: string]: unknown;
}
interface StoredConversation {
  messages: { role: string; content: string | StoredBlock[] }[];
}

const conversation = looseObject<StoredConversation>({
  messages: withDefault(
    array(
      looseObject({
        role: required(string),
        content: required((v) => (typeof v === 'string' ? v : array(looseObject<StoredBlock>({ type: required(string) }))(v))),
      }),
    ),
    () => [],
  ),
});

/** Parses JSON text and reads it with `check`; undefined (never a throw) when it is not JSON or does not fit. */
function read<T>(check: Check<T>, text: string | null | undefined): T | undefined {
  if (text === null || text === undefined) return undefined;
  try {
    return check(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export const readDecision = (text: string): StoredDecision | undefined => read(decision, text);
export const readObject = (text: string | null | undefined): Record<string, unknown> | undefined => read(record, text);
export const readStringList = (text: string | null | undefined): string[] | undefined => read(array(string), text);

/** The thinking an agent's stored conversation holds, in order (redacted blocks named, not shown). */
export function readThinking(text: string | null | undefined): string[] {
  const stored = read(conversation, text);
  if (!stored) return [];
  return stored.messages.flatMap((m) =>
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

/** Each turn's stop reason from its comma-separated column. */
export const readStopReasons = (text: string | null | undefined): string[] => (text ? text.split(',').filter(Boolean) : []);

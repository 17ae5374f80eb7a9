/**
 * Structured output: one call whose reply must be JSON matching a zod schema (the JSON Schema sent
 * as `output_config.format` is derived from it), validated, optionally repaired once.
 */
import * as z from '../core/zod.js';
import { errorMessage } from '../core/errors.js';
import { addUsage, emptyUsage, type Usage } from '../core/usage.js';
import { textOf } from './content.js';
import { LlmError, type LlmClient, type MessageParam } from './types.js';

export type StructuredReply<T> =
  | { ok: true; value: T; usage: Usage; costUsd: number }
  | { ok: false; cause: string; usage: Usage; costUsd: number; refused?: true };

const refusalCause = (d: { category: string | null; explanation: string | null } | undefined): string =>
  `the model refused${d?.category ? ` (${d.category})` : ''}: ${d?.explanation ?? 'it gave no explanation'}`;

/**
 * One structured-output call validated with `schema`. A reply cut at max_tokens is asked again
 * once with double the limit (a repair at the same limit would be cut again). With `repair`, an
 * invalid reply gets one more turn that shows the model its errors. A refusal is final: no
 * repair, `refused` set. API failures and invalid output come back as a cause; only an abort throws.
 */
export async function callStructured<S extends z.ZodMiniType>(
  client: LlmClient,
  schema: S,
  req: { model: string; system: string; user: string; maxTokens: number; signal?: AbortSignal | undefined; repair: boolean },
): Promise<StructuredReply<z.output<S>>> {
  const jsonSchema = outputSchema(schema);
  const messages: MessageParam[] = [{ role: 'user', content: req.user }];
  let usage = emptyUsage();
  let costUsd = 0;
  let maxTokens = req.maxTokens;
  let doubled = false;
  for (let attempt = 1; ; attempt++) {
    let text: string;
    let stopReason: string | null;
    let stopDetails: { category: string | null; explanation: string | null } | undefined;
    try {
      const result = await client.call({
        model: req.model,
        system: req.system,
        messages,
        maxTokens,
        effort: 'low',
        jsonSchema,
        // The user turn is sent once (a repair is rare): caching it would bill a write never read.
        cacheTurns: false,
        signal: req.signal,
      });
      usage = addUsage(usage, result.usage);
      costUsd += result.costUsd;
      text = textOf(result.content);
      stopReason = result.stopReason;
      stopDetails = result.stopDetails;
    } catch (err) {
      if (req.signal?.aborted || (err instanceof LlmError && err.kind === 'aborted')) throw err;
      // What the failed request cost still counts (llm/spend.ts).
      if (err instanceof LlmError && err.usage) {
        usage = addUsage(usage, err.usage);
        costUsd += err.costUsd ?? 0;
      }
      return { ok: false, cause: `API error: ${errorMessage(err)}`, usage, costUsd };
    }
    if (stopReason === 'refusal') return { ok: false, refused: true, cause: refusalCause(stopDetails), usage, costUsd };
    const parsed = parseReply(schema, text, stopReason);
    if (parsed.ok) return { ok: true, value: parsed.value, usage, costUsd };
    if (stopReason === 'max_tokens' && !doubled) {
      doubled = true;
      maxTokens *= 2;
      attempt--; // not a repair: the same request with room
      continue;
    }
    if (!req.repair || attempt > 1) {
      return { ok: false, cause: `invalid output${attempt > 1 ? ' after one repair' : ''}: ${parsed.errors.replace(/\n/g, '; ')}`, usage, costUsd };
    }
    messages.push(
      { role: 'assistant', content: text.trim() || '(empty)' },
      { role: 'user', content: `That reply is invalid:\n${parsed.errors}\nReply again with the corrected JSON only.` },
    );
  }
}

const MAX_ISSUES = 8;

function parseReply<S extends z.ZodMiniType>(
  schema: S,
  text: string,
  stopReason: string | null,
): { ok: true; value: z.output<S> } | { ok: false; errors: string } {
  let json: unknown;
  try {
    // Structured output is bare JSON; a fenced block is tolerated for endpoints that ignore output_config.
    json = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch (err) {
    const cut = stopReason === 'max_tokens' ? ' (cut off at max_tokens)' : '';
    return { ok: false, errors: `- not valid JSON${cut}: ${errorMessage(err)}` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.slice(0, MAX_ISSUES).map((i) => `- ${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, errors: issues.join('\n') };
}

const SAFE_INT = Number.MAX_SAFE_INTEGER;

/**
 * The JSON Schema for structured output, derived from a zod schema (the client makes it strict for
 * `output_config.format`, moving bounds into descriptions; zod still enforces them on the reply).
 * zod's implicit safe-integer bounds are dropped: they would only cost tokens.
 */
export function outputSchema(schema: z.ZodMiniType): Record<string, unknown> {
  let json = derived.get(schema);
  if (!json) {
    json = z.toJSONSchema(schema, {
      override: ({ jsonSchema }) => {
        if (jsonSchema.minimum === -SAFE_INT) delete jsonSchema.minimum;
        if (jsonSchema.maximum === SAFE_INT) delete jsonSchema.maximum;
      },
    }) as Record<string, unknown>;
    derived.set(schema, json);
  }
  return json;
}
/** Derived once per schema: a session makes a decision (and an analysis) per run. */
const derived = new WeakMap<z.ZodMiniType, Record<string, unknown>>();

/**
 * Tolerant zod readers for the JSON columns `baton show` displays. They accept what any version
 * of the writers stored (extra fields kept, missing ones defaulted), so an old or partial row is
 * shown as far as it can be instead of failing the whole view.
 */
import * as z from '../../core/zod.js';

export const storedDecisionSchema = z.looseObject({
  pattern: z.optional(z.string()),
  agents: z._default(
    z.array(
      z.looseObject({
        role: z.string(),
        model: z.optional(z.string()),
        effort: z.optional(z.string()),
        maxTurns: z.optional(z.number()),
        instructions: z._default(z.string(), ''),
      }),
    ),
    [],
  ),
  reasoning: z.optional(z.string()),
  expectations: z.optional(z.union([z.string(), z.array(z.string())])),
  lessonsUsed: z._default(z.array(z.number()), []),
  confidence: z.optional(z.number()),
});
export type StoredDecision = z.infer<typeof storedDecisionSchema>;

const objectSchema = z.record(z.string(), z.unknown());
const stringListSchema = z.array(z.string());

/** Parses JSON text with a schema; undefined (never a throw) when it is not JSON or does not fit. */
function read<T>(schema: z.ZodMiniType<T>, text: string | null | undefined): T | undefined {
  if (text === null || text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const readDecision = (text: string): StoredDecision | undefined => read(storedDecisionSchema, text);
export const readObject = (text: string | null | undefined): Record<string, unknown> | undefined => read(objectSchema, text);
export const readStringList = (text: string | null | undefined): string[] | undefined => read(stringListSchema, text);

const conversationSchema = z.looseObject({
  messages: z._default(z.array(z.looseObject({ role: z.string(), content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]) })), []),
});

/** The thinking an agent's stored conversation holds, in order (redacted blocks named, not shown). */
export function readThinking(text: string | null | undefined): string[] {
  const conversation = read(conversationSchema, text);
  if (!conversation) return [];
  return conversation.messages.flatMap((m) =>
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

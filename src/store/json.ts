import type * as z from '../core/zod.js';
import { UserError } from '../core/errors.js';

/** A JSON column, parsed and checked with its zod schema: damage is one clear error, not a crash later. */
export function parseStored<S extends z.ZodMiniType>(schema: S, text: string, what: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`${what} in the database is not valid JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${what} in the database is unreadable (${issue.path.join('.') || 'value'}: ${issue.message})`);
  }
  return parsed.data;
}

import type * as z from '../core/zod.js';

/** The first problem of a failed parse as a field path and a message, for one warning line. */
export function firstIssue(error: z.core.$ZodError): { field: string; message: string } {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join('.');
  const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
  return { field: field || '(file)', message: missing ? 'required' : issue.message };
}

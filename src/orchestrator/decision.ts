/**
 * What the orchestrator model returns when revising. The decision itself (Decision, Revision) is
 * defined where the patterns consume it, in src/patterns/decision.ts.
 */
import * as z from '../core/zod.js';
import type { PatternId } from '../patterns/catalog.js';
import { agentSpecOf, builtInMenu, DecisionParams, revisionActions, type DecisionMenu } from '../patterns/decision.js';

/**
 * Only what changes, so `continue` and `stop` cost a sentence, not a restated plan. `change` names
 * a new pattern and/or agents for the rest of the work (from the run's menu).
 */
export function revisionReply(menu: DecisionMenu) {
  return z
    .object({
      action: z.enum(revisionActions),
      reasoning: z.string().check(z.minLength(1)),
      confidence: z.number().check(z.minimum(0), z.maximum(1)),
      pattern: z.optional(z.enum(menu.patterns as [PatternId, ...PatternId[]])),
      agents: z.optional(z.array(agentSpecOf(menu)).check(z.minLength(1), z.maxLength(8))),
      expectations: z.optional(z.string()),
      params: z.optional(DecisionParams),
      /** Ids of the shown lessons that changed this revision. */
      lessonsUsed: z.optional(z.array(z.int())),
    })
    .check(
      z.refine((r) => r.action !== 'change' || r.pattern !== undefined || r.agents !== undefined, {
        message: 'action "change" needs a new pattern or agents',
        path: ['agents'],
      }),
    );
}

export const RevisionReply = revisionReply(builtInMenu);
export type RevisionReply = z.infer<typeof RevisionReply>;

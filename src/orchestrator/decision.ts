/**
 * What the orchestrator model returns when revising. The decision itself (Decision, Revision) is
 * defined where the patterns consume it, in src/patterns/decision.ts.
 */
import * as z from 'zod';
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
      reasoning: z.string().min(1),
      confidence: z.number().min(0).max(1),
      pattern: z.enum(menu.patterns as [PatternId, ...PatternId[]]).optional(),
      agents: z.array(agentSpecOf(menu)).min(1).max(8).optional(),
      expectations: z.string().optional(),
      params: DecisionParams.optional(),
      /** Ids of the shown lessons that changed this revision. */
      lessonsUsed: z.array(z.int()).optional(),
    })
    .refine((r) => r.action !== 'change' || r.pattern !== undefined || r.agents !== undefined, {
      message: 'action "change" needs a new pattern or agents',
      path: ['agents'],
    });
}

export const RevisionReply = revisionReply(builtInMenu);
export type RevisionReply = z.infer<typeof RevisionReply>;

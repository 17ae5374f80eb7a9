/**
 * The orchestrator's decisions as zod schemas: the single source of truth for what the model must
 * return, what is stored in `decisions.decision_json`, and the JSON Schema sent as structured output.
 */
import { z } from 'zod';
import { roleIds } from '../agents/roles.js';
import { patternIds } from '../patterns/catalog.js';

export const efforts = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

export const AgentSpec = z.object({
  role: z.enum(roleIds),
  model: z.string().min(1).optional(),
  effort: z.enum(efforts).optional(),
  maxTurns: z.int().min(1).max(100).optional(),
  instructions: z.string().min(1),
});
export type AgentSpec = z.infer<typeof AgentSpec>;

export const DecisionParams = z.object({
  /** review-loop: coder/reviewer rounds before giving up. */
  maxRounds: z.int().min(1).max(5).optional(),
  /** parallel: workers running at once. */
  concurrency: z.int().min(1).max(6).optional(),
  /** clarify: the question to ask the user, and answers to offer. */
  question: z.string().min(1).optional(),
  options: z.array(z.string().min(1)).max(6).optional(),
});
export type DecisionParams = z.infer<typeof DecisionParams>;

export const Decision = z.object({
  pattern: z.enum(patternIds),
  agents: z.array(AgentSpec).min(1).max(8),
  reasoning: z.string().min(1),
  expectations: z.string(),
  lessonsUsed: z.array(z.int()),
  confidence: z.number().min(0).max(1),
  params: DecisionParams.optional(),
});
export type Decision = z.infer<typeof Decision>;

export const revisionActions = ['continue', 'change', 'stop'] as const;
export type RevisionAction = (typeof revisionActions)[number];

/** A revision as stored: the plan in force for the rest of the run, and what the orchestrator chose to do. */
export const Revision = Decision.extend({ action: z.enum(revisionActions) });
export type Revision = z.infer<typeof Revision>;

/**
 * What the model returns when revising: only what changes, so `continue` and `stop` cost a sentence,
 * not a restated plan. `change` names a new pattern and/or agents for the rest of the work.
 */
export const RevisionReply = z
  .object({
    action: z.enum(revisionActions),
    reasoning: z.string().min(1),
    confidence: z.number().min(0).max(1),
    pattern: z.enum(patternIds).optional(),
    agents: z.array(AgentSpec).min(1).max(8).optional(),
    expectations: z.string().optional(),
    params: DecisionParams.optional(),
  })
  .refine((r) => r.action !== 'change' || r.pattern !== undefined || r.agents !== undefined, {
    message: 'action "change" needs a new pattern or agents',
    path: ['agents'],
  });
export type RevisionReply = z.infer<typeof RevisionReply>;

export const AnalysisReply = z.object({
  outcome: z.enum(['success', 'partial', 'failure']),
  summary: z.string().min(1),
  lessons: z.array(z.string().min(1)).max(3),
});
export type AnalysisReply = z.infer<typeof AnalysisReply>;

const SAFE_INT = Number.MAX_SAFE_INTEGER;

/**
 * The JSON Schema for structured output, derived from a zod schema (the client makes it strict for
 * `output_config.format`, moving bounds into descriptions; zod still enforces them on the reply).
 * zod's implicit safe-integer bounds are dropped: they would only cost tokens.
 */
export function outputSchema(schema: z.ZodType): Record<string, unknown> {
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
const derived = new WeakMap<z.ZodType, Record<string, unknown>>();

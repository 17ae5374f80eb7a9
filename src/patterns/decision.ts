/**
 * The decision a pattern runs, as zod schemas: the single source of truth for what the orchestrator
 * must return, what is stored in `decisions.decision_json`, and the JSON Schema sent as structured
 * output. It lives at the patterns layer because the patterns consume it; the orchestrator (which
 * writes it) and learning (which reads it back) sit above.
 */
import { z } from 'zod';
import { roleIds } from '../agents/roles.js';
import { patternIds } from './catalog.js';

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

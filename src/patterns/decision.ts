/**
 * The decision a pattern runs, as zod schemas: the single source of truth for what the orchestrator
 * must return, what is stored in `decisions.decision_json`, and the JSON Schema sent as structured
 * output. It lives at the patterns layer because the patterns consume it; the orchestrator (which
 * writes it) and learning (which reads it back) sit above.
 *
 * What the orchestrator may choose is built per run (`decisionSchema(menu)`): the patterns not
 * disabled by config, the built-in roles plus the agent files' names, the playbooks' ids. What is
 * stored is read back with the loose `StoredDecision` (an agent file may be gone by then).
 */
import * as z from 'zod';
import { roleIds } from '../agents/roles.js';
import { patternIds, type PatternId } from './catalog.js';

export const efforts = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

/** What one run's orchestrator may choose from. */
export interface DecisionMenu {
  patterns: readonly PatternId[];
  /** Built-in roles, then agent-file names. */
  roles: readonly string[];
  /** Playbook ids (plan-execute only). */
  playbooks: readonly string[];
}

export const builtInMenu: DecisionMenu = { patterns: patternIds, roles: roleIds, playbooks: [] };

const nonEmptyEnum = (values: readonly string[]) => z.enum(values as [string, ...string[]]);

function agentSpec(roles: z.ZodType<string>) {
  return z.object({
    role: roles,
    model: z.string().min(1).optional(),
    effort: z.enum(efforts).optional(),
    maxTurns: z.int().min(1).max(100).optional(),
    instructions: z.string().min(1),
  });
}

/** A playbook parameter's value as the request gave it (a list: structured output allows no free-form maps). */
const ParamValue = z.object({ name: z.string().min(1), value: z.string() });

export const DecisionParams = z.object({
  /** review-loop: coder/reviewer rounds before giving up. */
  maxRounds: z.int().min(1).max(5).optional(),
  /** parallel: workers running at once. */
  concurrency: z.int().min(1).max(6).optional(),
  /** clarify: the question to ask the user, and answers to offer. */
  question: z.string().min(1).optional(),
  options: z.array(z.string().min(1)).max(6).optional(),
  /** plan-execute with a playbook: the parameter values the request states (never guessed). */
  values: z.array(ParamValue).max(20).optional(),
});
export type DecisionParams = z.infer<typeof DecisionParams>;

function decisionShape(menu: DecisionMenu, roles: z.ZodType<string>) {
  return {
    pattern: nonEmptyEnum(menu.patterns) as z.ZodType<PatternId>,
    agents: z.array(agentSpec(roles)).min(1).max(8),
    reasoning: z.string().min(1),
    expectations: z.string(),
    lessonsUsed: z.array(z.int()),
    confidence: z.number().min(0).max(1),
    params: DecisionParams.optional(),
  };
}

/** A playbook is chosen with plan-execute only. */
const playbookNeedsPlanExecute = (d: { pattern: string; playbook?: string | undefined }) => d.playbook === undefined || d.pattern === 'plan-execute';
const playbookRule = { message: 'a playbook is chosen with pattern plan-execute', path: ['playbook'] };

/** The schema of one run's decision: only what `menu` offers is valid. */
export function decisionSchema(menu: DecisionMenu) {
  const shape = decisionShape(menu, nonEmptyEnum(menu.roles));
  // Without playbooks the field is not offered at all (fewer tokens, nothing to misuse).
  if (!menu.playbooks.length) return z.object(shape);
  return z.object({ ...shape, playbook: nonEmptyEnum(menu.playbooks).optional() }).refine(playbookNeedsPlanExecute, playbookRule);
}

/** A decision as stored: any role name and playbook id (validated when the decision was made). */
export const StoredDecision = z.object({
  ...decisionShape(builtInMenu, z.string().min(1)),
  pattern: z.enum(patternIds),
  playbook: z.string().min(1).optional(),
});
export type Decision = z.infer<typeof StoredDecision>;
export type AgentSpec = Decision['agents'][number];

/** The built-in menu's decision (no agent files, no playbooks, every pattern). */
export const Decision = decisionSchema(builtInMenu);
export const AgentSpec = agentSpec(nonEmptyEnum(roleIds));

export const revisionActions = ['continue', 'change', 'stop'] as const;
export type RevisionAction = (typeof revisionActions)[number];

/** A revision as stored: the plan in force for the rest of the run, and what the orchestrator chose to do. */
export const Revision = StoredDecision.extend({ action: z.enum(revisionActions) });
export type Revision = z.infer<typeof Revision>;

/** The agent spec schema of a menu (revisions use it). */
export const agentSpecOf = (menu: DecisionMenu) => agentSpec(nonEmptyEnum(menu.roles));

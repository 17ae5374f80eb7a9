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
import * as z from '../core/zod.js';
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

function agentSpec(roles: z.ZodMiniType<string>) {
  return z.object({
    role: roles,
    model: z.optional(z.string().check(z.minLength(1))),
    effort: z.optional(z.enum(efforts)),
    maxTurns: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
    instructions: z.string().check(z.minLength(1)),
  });
}

/** A playbook parameter's value as the request gave it (a list: structured output allows no free-form maps). */
const ParamValue = z.object({ name: z.string().check(z.minLength(1)), value: z.string() });

export const DecisionParams = z.object({
  /** review-loop: coder/reviewer rounds before giving up. */
  maxRounds: z.optional(z.int().check(z.minimum(1), z.maximum(5))),
  /** parallel: workers running at once. */
  concurrency: z.optional(z.int().check(z.minimum(1), z.maximum(6))),
  /** clarify: the question to ask the user, and answers to offer. */
  question: z.optional(z.string().check(z.minLength(1))),
  options: z.optional(z.array(z.string().check(z.minLength(1))).check(z.maxLength(6))),
  /** plan-execute with a playbook: the parameter values the request states (never guessed). */
  values: z.optional(z.array(ParamValue).check(z.maxLength(20))),
});
export type DecisionParams = z.infer<typeof DecisionParams>;

function decisionShape(menu: DecisionMenu, roles: z.ZodMiniType<string>) {
  return {
    pattern: nonEmptyEnum(menu.patterns) as z.ZodMiniType<PatternId>,
    agents: z.array(agentSpec(roles)).check(z.minLength(1), z.maxLength(8)),
    reasoning: z.string().check(z.minLength(1)),
    expectations: z.string(),
    lessonsUsed: z.array(z.int()),
    confidence: z.number().check(z.minimum(0), z.maximum(1)),
    params: z.optional(DecisionParams),
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
  return z.object({ ...shape, playbook: z.optional(nonEmptyEnum(menu.playbooks)) }).check(z.refine(playbookNeedsPlanExecute, playbookRule));
}

/** A decision as stored: any role name and playbook id (validated when the decision was made). */
export const StoredDecision = z.object({
  ...decisionShape(builtInMenu, z.string().check(z.minLength(1))),
  pattern: z.enum(patternIds),
  playbook: z.optional(z.string().check(z.minLength(1))),
});
export type Decision = z.infer<typeof StoredDecision>;
export type AgentSpec = Decision['agents'][number];

/** The built-in menu's decision (no agent files, no playbooks, every pattern). */
export const Decision = decisionSchema(builtInMenu);
export const AgentSpec = agentSpec(nonEmptyEnum(roleIds));

export const revisionActions = ['continue', 'change', 'stop'] as const;
export type RevisionAction = (typeof revisionActions)[number];

/** A revision as stored: the plan in force for the rest of the run, and what the orchestrator chose to do. */
export const Revision = z.extend(StoredDecision, { action: z.enum(revisionActions) });
export type Revision = z.infer<typeof Revision>;

/** The agent spec schema of a menu (revisions use it). */
export const agentSpecOf = (menu: DecisionMenu) => agentSpec(nonEmptyEnum(menu.roles));

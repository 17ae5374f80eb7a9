import * as z from '../core/zod.js';
import { fromOutcome } from './outcome.js';
import type { Pattern, PatternContext, PatternResult } from './types.js';
import { oneLine } from '../core/text.js';
import { parseStored } from '../store/json.js';
import type { PlanStepRow } from '../store/plan-steps.js';
import { fillParams, instantiate, paramsUsed, resolveParams } from '../extensions/playbook-params.js';
import type { Playbook } from '../extensions/playbooks.js';

export const PlanStep = z.object({
  title: z.string().check(z.minLength(1)),
  instructions: z.string().check(z.minLength(1)),
  /** Values the step needs; null means "unknown: ask the user before this step runs". */
  params: z._default(z.record(z.string(), z.nullable(z.string())), {}),
});
export const MAX_PLAN_STEPS = 12;
export const Plan = z.object({ steps: z.array(PlanStep).check(z.minLength(1), z.maxLength(MAX_PLAN_STEPS)) });
export type PlanT = z.infer<typeof Plan>;

const PLAN_FORMAT =
  `End with the plan as JSON in a \`\`\`json block, and put no other fenced block after it: {"steps": [{"title": "...", "instructions": "... self-contained, for an agent that sees nothing else ...", "params": {"name": "value or null if only the user can tell"}}]}. ` +
  `At most ${MAX_PLAN_STEPS} steps, at least 1; every title and instructions non-empty; params values are strings or null.`;

/**
 * A planner writes steps; each step runs in its own agent call. Steps and their outputs are
 * stored, so a crashed or paused run resumes at the first unfinished step.
 */
export const planExecute: Pattern = async (ctx) => {
  const { journal } = ctx;
  let steps = journal.planSteps(ctx.runId);
  const playbookId = ctx.decision.playbook;
  // Recorded on the run (and read again on resume, for its parameter descriptions).
  const playbook = playbookId ? ctx.usePlaybook(playbookId) : undefined;
  if (steps.length === 0 && playbook) {
    journal.insertPlanSteps(ctx.runId, playbookSteps(playbook, ctx.decision.params?.values ?? []));
    steps = journal.planSteps(ctx.runId);
    ctx.note(`playbook ${playbook.id}: ${steps.length} steps`);
  } else if (steps.length === 0) {
    if (playbookId) ctx.note(`playbook ${playbookId} is no longer loaded; a planner writes the steps instead`);
    const planner = ctx.decision.agents.find((a) => a.role === 'planner');
    const planned = await ctx.agent(
      {
        label: 'plan',
        role: 'planner',
        instructions: `${planner?.instructions ?? `Plan this task: ${ctx.prompt}`}\n${PLAN_FORMAT}`,
        model: planner?.model,
        effort: planner?.effort,
        maxTurns: planner?.maxTurns,
      },
      { finalSchema: Plan },
    );
    if (planned.status === 'cancelled') return { status: 'cancelled', error: planned.error };
    if (planned.status !== 'completed') return withoutPlan(ctx, 'error' in planned ? planned.error : 'no plan');
    journal.insertPlanSteps(ctx.runId, (planned.parsed as PlanT).steps);
    steps = journal.planSteps(ctx.runId);
  }

  // The agent that carries out each step: the decision's first non-planner (a coder, or an agent file).
  const worker = ctx.decision.agents.find((a) => a.role !== 'planner');
  const done: string[] = steps.filter((s) => s.status === 'completed').map(stepSummary);
  // A value asked once serves every later step that uses it (also after a resume).
  const known = knownValues(steps);
  for (const step of steps) {
    if (step.status === 'completed' || step.status === 'skipped') continue;
    const params = await fillStepParams(ctx, step, known, playbook);
    journal.updatePlanStep(ctx.runId, step.idx, { status: 'running', params });
    const title = fillParams(step.title, params);
    const outcome = await ctx.agent({
      label: `step#${step.idx}`,
      role: worker?.role ?? 'coder',
      model: worker?.model,
      effort: worker?.effort,
      maxTurns: worker?.maxTurns,
      instructions: [
        `Overall task: ${ctx.prompt}`,
        done.length ? `Done so far:\n${done.join('\n')}` : '',
        `Your step (${step.idx}/${steps.length}): ${title}\n${fillParams(step.instructions, params)}`,
        Object.keys(params).length ? `Parameters: ${JSON.stringify(params)}` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    });
    if (outcome.status === 'cancelled') {
      journal.updatePlanStep(ctx.runId, step.idx, { status: 'pending', agentCallId: outcome.agentCallId });
      return fromOutcome(outcome);
    }
    if (outcome.status !== 'completed') {
      const error = 'error' in outcome ? outcome.error : 'did not finish';
      journal.updatePlanStep(ctx.runId, step.idx, { status: 'failed', agentCallId: outcome.agentCallId, output: error });
      const revision = await ctx.revise();
      if (revision?.action !== 'continue') return { status: 'failed', error: `step ${step.idx} (${title}) failed: ${error}`, result: done.join('\n') };
      continue;
    }
    journal.updatePlanStep(ctx.runId, step.idx, { status: 'completed', agentCallId: outcome.agentCallId, output: outcome.result });
    done.push(stepSummary({ ...step, title, output: outcome.result }));
  }
  const final = journal.planSteps(ctx.runId);
  const failed = final.filter((s) => s.status === 'failed');
  const result = final.map((s) => `${s.idx}. ${fillParams(s.title, filledOf(s))} — ${s.status}${s.output ? `: ${s.output}` : ''}`).join('\n');
  return failed.length ? { status: 'failed', error: `${failed.length} of ${final.length} steps failed`, result } : { status: 'completed', result };
};

/**
 * A playbook's steps as a stored plan: the values the decision gave (and defaults) filled in; a
 * required value still missing stays a `{{name}}` placeholder, with `name: null` in the params of
 * each step that uses it, so it is asked before the first of them (a durable question).
 */
function playbookSteps(playbook: Playbook, given: readonly { name: string; value: string }[]): PlanT['steps'] {
  const { values, missing } = resolveParams(playbook, Object.fromEntries(given.map((v) => [v.name, v.value])));
  const open = new Set(missing.map((m) => m.name));
  return instantiate(playbook, values).map((step) => ({
    ...step,
    params: Object.fromEntries(
      paramsUsed(`${step.title}\n${step.instructions}`)
        .filter((n) => open.has(n))
        .map((n) => [n, null]),
    ),
  }));
}

/**
 * Planning failed: the run is not lost. The orchestrator may revise (stop, or go on another way);
 * otherwise the task falls back to one `direct` agent, announced as a warning.
 */
async function withoutPlan(ctx: Parameters<Pattern>[0], cause: string): Promise<PatternResult> {
  const revision = await ctx.revise();
  if (revision?.action === 'stop') return { status: 'failed', error: `planning failed: ${cause}; the orchestrator stopped the run` };
  ctx.warn(`planning failed (${oneLine(cause, 160)}); falling back to direct`);
  ctx.note(`planning failed (${cause}); fell back to direct`);
  const coder = ctx.decision.agents.find((a) => a.role === 'coder');
  const outcome = await ctx.agent(
    {
      label: 'direct',
      role: 'coder',
      instructions: coder && coder.instructions !== ctx.prompt ? `${ctx.prompt}\n\n${coder.instructions}` : ctx.prompt,
      model: coder?.model,
      effort: coder?.effort,
      maxTurns: coder?.maxTurns,
    },
    { speaksToUser: true },
  );
  return fromOutcome(outcome);
}

function stepSummary(s: Pick<PlanStepRow, 'idx' | 'title' | 'output'>): string {
  return `${s.idx}. ${s.title}: ${oneLine(s.output ?? '', 300)}`;
}

function storedParams(step: PlanStepRow): Record<string, string | null> {
  return parseStored(PlanStep.shape.params, step.params_json, `the parameters of step ${step.idx}`);
}

/** The values a stored step already has (a placeholder without one stays as it is). */
const filledOf = (step: PlanStepRow): Record<string, string> =>
  Object.fromEntries(Object.entries(storedParams(step)).filter((e): e is [string, string] => e[1] !== null));

function knownValues(steps: readonly PlanStepRow[]): Map<string, string> {
  const known = new Map<string, string>();
  for (const step of steps) for (const [name, value] of Object.entries(storedParams(step))) if (value !== null) known.set(name, value);
  return known;
}

/** A parameter the planner could not know (or a playbook value the request did not give) is asked of the user before its step runs. */
async function fillStepParams(
  ctx: PatternContext,
  step: PlanStepRow,
  known: Map<string, string>,
  playbook: Playbook | undefined,
): Promise<Record<string, string>> {
  const filled: Record<string, string> = {};
  for (const [name, value] of Object.entries(storedParams(step))) {
    let v = value ?? known.get(name);
    if (v === undefined) {
      const about = playbook?.params[name]?.description;
      v = await ctx.askUser(`Step ${step.idx} "${step.title}" needs a value for "${name}"${about ? ` (${about})` : ''}.`);
    }
    known.set(name, v);
    filled[name] = v;
  }
  return filled;
}

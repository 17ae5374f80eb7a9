import { z } from 'zod';
import { fromOutcome } from './outcome.js';
import type { Pattern, PatternContext, PatternResult } from './types.js';
import { oneLine } from '../core/text.js';
import { parseStored } from '../store/json.js';
import type { PlanStepRow } from '../store/plan-steps.js';

export const PlanStep = z.object({
  title: z.string().min(1),
  instructions: z.string().min(1),
  /** Values the step needs; null means "unknown: ask the user before this step runs". */
  params: z.record(z.string(), z.string().nullable()).default({}),
});
export const MAX_PLAN_STEPS = 12;
export const Plan = z.object({ steps: z.array(PlanStep).min(1).max(MAX_PLAN_STEPS) });
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
  if (steps.length === 0) {
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

  const worker = ctx.decision.agents.find((a) => a.role === 'coder');
  const done: string[] = steps.filter((s) => s.status === 'completed').map(stepSummary);
  for (const step of steps) {
    if (step.status === 'completed' || step.status === 'skipped') continue;
    const params = await fillParams(ctx, step);
    journal.updatePlanStep(ctx.runId, step.idx, { status: 'running', params });
    const outcome = await ctx.agent({
      label: `step#${step.idx}`,
      role: 'coder',
      model: worker?.model,
      effort: worker?.effort,
      maxTurns: worker?.maxTurns,
      instructions: [
        `Overall task: ${ctx.prompt}`,
        done.length ? `Done so far:\n${done.join('\n')}` : '',
        `Your step (${step.idx}/${steps.length}): ${step.title}\n${step.instructions}`,
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
      if (revision?.action !== 'continue') return { status: 'failed', error: `step ${step.idx} (${step.title}) failed: ${error}`, result: done.join('\n') };
      continue;
    }
    journal.updatePlanStep(ctx.runId, step.idx, { status: 'completed', agentCallId: outcome.agentCallId, output: outcome.result });
    done.push(stepSummary({ ...step, output: outcome.result }));
  }
  const final = journal.planSteps(ctx.runId);
  const failed = final.filter((s) => s.status === 'failed');
  const result = final.map((s) => `${s.idx}. ${s.title} — ${s.status}${s.output ? `: ${s.output}` : ''}`).join('\n');
  return failed.length ? { status: 'failed', error: `${failed.length} of ${final.length} steps failed`, result } : { status: 'completed', result };
};

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

/** A parameter the planner could not know is asked of the user before its step runs. */
async function fillParams(ctx: PatternContext, step: PlanStepRow): Promise<Record<string, string>> {
  const params = parseStored(PlanStep.shape.params, step.params_json, `the parameters of step ${step.idx}`);
  const filled: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    filled[name] = value ?? (await ctx.askUser(`Step ${step.idx} "${step.title}" needs a value for "${name}".`));
  }
  return filled;
}

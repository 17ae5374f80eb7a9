import type { Pattern, PatternResult } from './types.js';
import type { AgentOutcome } from '../agents/engine.js';

/** One agent with the full tool set. */
export const direct: Pattern = async (ctx) => {
  const spec = ctx.decision.agents[0];
  const outcome = await ctx.agent(
    { label: 'direct', role: spec?.role ?? 'coder', instructions: spec?.instructions ?? ctx.prompt, model: spec?.model, effort: spec?.effort, maxTurns: spec?.maxTurns },
    { speaksToUser: true },
  );
  return fromOutcome(outcome);
};

export function fromOutcome(outcome: AgentOutcome): PatternResult {
  if (outcome.status === 'completed') return { status: 'completed', result: outcome.result };
  if (outcome.status === 'cancelled') return { status: 'cancelled', error: outcome.error };
  if (outcome.status === 'failed') return { status: 'failed', error: outcome.error, result: outcome.result };
  return { status: 'failed', error: 'unexpected state' };
}

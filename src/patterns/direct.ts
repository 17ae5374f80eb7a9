import { fromOutcome } from './outcome.js';
import type { Pattern } from './types.js';

/** One agent with the full tool set. */
export const direct: Pattern = async (ctx) => {
  const spec = ctx.decision.agents[0];
  const outcome = await ctx.agent(
    {
      label: 'direct',
      role: spec?.role ?? 'coder',
      instructions: spec?.instructions ?? ctx.prompt,
      model: spec?.model,
      effort: spec?.effort,
      maxTurns: spec?.maxTurns,
    },
    { speaksToUser: true },
  );
  return fromOutcome(outcome);
};

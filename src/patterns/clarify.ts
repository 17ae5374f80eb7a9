import type { Pattern } from './types.js';
import { patterns } from './registry.js';

/** Ask the user first, then decide again with the answer and run what that decision chose. */
export const clarify: Pattern = async (ctx) => {
  const { question, options } = ctx.decision.params ?? {};
  const answer = await ctx.askUser(question ?? ctx.decision.agents[0]?.instructions ?? 'What exactly should I do?', options);
  const revision = await ctx.revise();
  if (revision?.action === 'stop') return { status: 'completed', result: revision.reasoning };
  if (revision?.action !== 'change' || revision.pattern === 'clarify') {
    // No usable new decision (limit reached, orchestrator failed): the answer still reaches one agent.
    ctx.decision = { ...ctx.decision, pattern: 'direct', agents: [{ role: 'coder', instructions: `${ctx.prompt}\n\nThe user clarified: ${answer}` }] };
  }
  return patterns[ctx.decision.pattern](ctx);
};

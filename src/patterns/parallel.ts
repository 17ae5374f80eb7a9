import { FileClaims } from '../agents/budget.js';
import type { AgentOutcome } from '../agents/engine.js';
import { fromOutcome } from './outcome.js';
import type { Pattern } from './types.js';

const DEFAULT_CONCURRENCY = 3;

/** Up to N workers at once (writers never share a file), then one aggregation call. */
export const parallel: Pattern = async (ctx) => {
  const workers = ctx.decision.agents.filter((a) => a.role !== 'summarizer');
  const limit = Math.max(1, ctx.decision.params?.concurrency ?? DEFAULT_CONCURRENCY);
  const claims = new FileClaims();
  const outcomes: AgentOutcome[] = new Array(workers.length);
  let next = 0;
  const lane = async () => {
    while (next < workers.length) {
      const i = next++;
      const w = workers[i]!;
      outcomes[i] = await ctx.agent(
        { label: `worker#${i + 1}`, role: w.role, instructions: w.instructions, model: w.model, effort: w.effort, maxTurns: w.maxTurns },
        // Workers cannot stop the others to ask: they decide and say what they assumed.
        { fileClaims: claims, canAsk: false },
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, workers.length) }, lane));
  if (outcomes.some((o) => o.status === 'cancelled')) return { status: 'cancelled', error: 'cancelled by the user' };
  if (outcomes.every((o) => o.status !== 'completed')) {
    return { status: 'failed', error: `all ${workers.length} workers failed: ${outcomes.map((o) => ('error' in o ? o.error : '')).join('; ')}` };
  }

  const summarizer = ctx.decision.agents.find((a) => a.role === 'summarizer');
  const reports = outcomes
    .map((o, i) => `## Worker ${i + 1} (${workers[i]!.role}): ${o.status}\n${o.status === 'completed' ? o.result : 'error' in o ? o.error : ''}`)
    .join('\n\n');
  const aggregate = await ctx.agent(
    {
      label: 'aggregate',
      role: 'summarizer',
      model: summarizer?.model,
      instructions: `${summarizer?.instructions ?? 'Combine the workers\u2019 reports into one answer.'}\n\nThe user asked: ${ctx.prompt}\n\n${reports}`,
    },
    { speaksToUser: true },
  );
  if (aggregate.status === 'completed' || aggregate.status === 'cancelled') return fromOutcome(aggregate);
  // The aggregation failed but the work is done: give the raw reports rather than nothing.
  return { status: 'completed', result: reports };
};

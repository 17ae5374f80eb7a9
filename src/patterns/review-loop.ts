import * as z from '../core/zod.js';
import { fromOutcome } from './outcome.js';
import type { Pattern } from './types.js';
import { oneLine } from '../core/text.js';

const DEFAULT_ROUNDS = 3;

export const ReviewVerdict = z.object({
  approved: z.boolean(),
  reasons: z.array(z.string()).check(z.describe('what is wrong (or, if approved, why it is right)')),
});
export type ReviewVerdictT = z.infer<typeof ReviewVerdict>;

const VERDICT_FORMAT = 'End your answer with a JSON object in a ```json block: {"approved": true|false, "reasons": ["..."]}.';

/** A coder, then a reviewer that reads the diff and may run the tests; up to N rounds until approved. */
export const reviewLoop: Pattern = async (ctx) => {
  const rounds = Math.max(1, ctx.decision.params?.maxRounds ?? DEFAULT_ROUNDS);
  let feedback = '';
  let coderResult = '';
  for (let round = 1; round <= rounds; round++) {
    // The decision's coder and reviewer; an agent file may take either place.
    const coder = ctx.decision.agents.find((a) => a.role === 'coder') ?? ctx.decision.agents.find((a) => a.role !== 'reviewer');
    const coded = await ctx.agent({
      label: `coder#${round}`,
      role: coder?.role ?? 'coder',
      instructions: `${coder?.instructions ?? ctx.prompt}${feedback ? `\n\nA reviewer rejected the previous attempt:\n${feedback}\nFix these points.` : ''}`,
      model: coder?.model,
      effort: coder?.effort,
      maxTurns: coder?.maxTurns,
    });
    if (coded.status !== 'completed') return fromOutcome(coded, (error) => error);
    coderResult = coded.result;

    const reviewer = ctx.decision.agents.find((a) => a.role === 'reviewer') ?? ctx.decision.agents.find((a) => a !== coder && a.role !== 'coder');
    const reviewed = await ctx.agent(
      {
        label: `review#${round}`,
        role: reviewer?.role ?? 'reviewer',
        instructions: `${reviewer?.instructions ?? 'Review the change for correctness and completeness.'}\nTask given to the coder: ${ctx.prompt}\nThe coder reports: ${oneLine(coderResult, 1500)}\nRead the diff (git diff), run the tests if there are any. ${VERDICT_FORMAT}`,
        model: reviewer?.model,
        effort: reviewer?.effort,
        maxTurns: reviewer?.maxTurns,
      },
      { finalSchema: ReviewVerdict },
    );
    if (reviewed.status === 'cancelled') return fromOutcome(reviewed);
    const verdict: ReviewVerdictT =
      reviewed.status === 'completed'
        ? (reviewed.parsed as ReviewVerdictT)
        : { approved: false, reasons: [`the review failed: ${'error' in reviewed ? reviewed.error : 'unknown'}`] };
    ctx.note(`review round ${round}: ${verdict.approved ? 'approved' : 'rejected'} — ${verdict.reasons.join('; ')}`);
    if (verdict.approved) {
      return { status: 'completed', result: `${coderResult}\n\nReviewer approved (round ${round}): ${verdict.reasons.join('; ')}` };
    }
    feedback = verdict.reasons.map((r) => `- ${r}`).join('\n');
    if (round === rounds) break;
    const revision = await ctx.revise();
    if (revision?.action === 'stop') {
      return { status: 'failed', error: `stopped after review round ${round}: ${revision.reasoning}`, result: coderResult };
    }
  }
  return { status: 'failed', error: `the reviewer did not approve after ${rounds} rounds:\n${feedback}`, result: coderResult };
};

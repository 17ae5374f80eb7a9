import type { AgentOutcome } from '../agents/types.js';
import type { PatternResult } from './types.js';

/**
 * The one mapping from a sub-agent's outcome to a pattern's result: completed and cancelled pass
 * through; a failure fails the pattern with the agent's error and partial result, or, with
 * `failedAs`, with that wording of the error alone. (`waiting_user` never reaches a pattern: the
 * context's agent() throws WaitingForUser instead.)
 */
export function fromOutcome(outcome: AgentOutcome, failedAs?: (error: string) => string): PatternResult {
  switch (outcome.status) {
    case 'completed':
      return { status: 'completed', result: outcome.result };
    case 'cancelled':
      return { status: 'cancelled', error: outcome.error };
    case 'failed':
      return failedAs ? { status: 'failed', error: failedAs(outcome.error) } : { status: 'failed', error: outcome.error, result: outcome.result };
    default:
      return { status: 'failed', error: 'unexpected state' };
  }
}

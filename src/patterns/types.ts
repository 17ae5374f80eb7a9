import type { OrchestrationContext } from '../orchestrator/context.js';

export interface PatternResult {
  status: 'completed' | 'failed' | 'cancelled';
  result?: string | undefined;
  error?: string | undefined;
}

/** One execution pattern: given the run's context (its decision in force), do the work. */
export type Pattern = (ctx: OrchestrationContext) => Promise<PatternResult>;

import type { FileClaims } from '../agents/budget.js';
import type { AgentOutcome, AgentSpec } from '../agents/types.js';
import type { RoleId } from '../agents/roles.js';
import type { Journal } from '../store/journal.js';
import type { Decision, Revision } from './decision.js';

export interface PatternResult {
  status: 'completed' | 'failed' | 'cancelled';
  result?: string | undefined;
  error?: string | undefined;
}

/** One sub-agent slot of a run; the label names the slot ("direct", "step#2", "review#1"). */
export interface AgentSlot {
  label: string;
  role: RoleId;
  instructions: string;
  model?: string | undefined;
  effort?: AgentSpec['effort'];
  maxTurns?: number | undefined;
}

export type AgentExtras = Partial<Pick<AgentSpec, 'finalSchema' | 'speaksToUser' | 'canAsk'>> & { fileClaims?: FileClaims };

/**
 * What a pattern may do with its run: the contract between the patterns and the orchestrator
 * (whose OrchestrationContext implements it). Finished work is replayed from the journal, so a
 * pattern re-run against the same run resumes where it stopped.
 */
export interface PatternContext {
  readonly runId: string;
  /** The user's request. */
  readonly prompt: string;
  /** The decision in force; a pattern may replace it (clarify hands over to the pattern it names). */
  decision: Decision;
  /** Where the run's plan steps are kept (plan-execute). */
  readonly journal: Pick<Journal, 'planSteps' | 'insertPlanSteps' | 'updatePlanStep'>;
  /** Records what happened, for the next revision's delta. */
  note(line: string): void;
  /** Tells the person watching (a warning notice: stderr in print mode, a line in the session). */
  warn(message: string): void;
  /** Between phases: lets the orchestrator continue, change or stop; null when no revision was made. */
  revise(): Promise<Revision | null>;
  /** Runs one sub-agent in a named slot (replayed if that slot already finished). */
  agent(slot: AgentSlot, extra?: AgentExtras): Promise<AgentOutcome>;
  /** Asks the user on the orchestrator's behalf; throws through the pattern when the run must wait. */
  askUser(question: string, options?: string[]): Promise<string>;
}

/** One execution pattern: given the run's context (its decision in force), do the work. */
export type Pattern = (ctx: PatternContext) => Promise<PatternResult>;

/**
 * Revisions between pattern phases: the orchestrator sees the plan in force and only what happened
 * since (a delta), and keeps, changes or stops it. At most MAX_REVISIONS attempts per run.
 */
import { callStructured } from '../llm/structured.js';
import type { LlmClient } from '../llm/types.js';
import type { Decision, Revision } from '../patterns/decision.js';
import type { Db } from '../store/db.js';
import { revisionCount } from '../store/decisions.js';
import { getRun } from '../store/runs.js';
import { recordDecision, RefusedCall, type DecisionRecord } from './decide.js';
import { RevisionReply } from './decision.js';
import { decisionSystemPrompt, renderRevisionInput } from './prompts.js';

export const MAX_REVISIONS = 3;
const REVISION_MAX_TOKENS = 2048;

/** A revision row; `decision` is the plan for the rest of the run, with the action taken. */
export interface RevisionRecord extends DecisionRecord {
  kind: 'revision';
  decision: Revision;
}

/**
 * One revision call, recorded as a `revision` row with its own token cost. Returns null only when
 * the run has used its MAX_REVISIONS; a failed call (API error, invalid reply) still returns its
 * row: action `continue`, the plan unchanged and `fallbackCause` set, so the caller accounts its
 * cost and the limit bounds what a failing orchestrator can spend.
 */
export async function revise(args: {
  db: Db;
  client: LlmClient;
  runId: string;
  model: string;
  previous: Decision;
  delta: string;
  signal?: AbortSignal | undefined;
}): Promise<RevisionRecord | null> {
  const { db, previous } = args;
  if (revisionCount(db, args.runId) >= MAX_REVISIONS) return null;
  const started = Date.now();
  const { prompt } = getRun(db, args.runId)!;
  const reply = await callStructured(args.client, RevisionReply, {
    model: args.model,
    system: decisionSystemPrompt(),
    user: renderRevisionInput(prompt, previous, args.delta),
    maxTokens: REVISION_MAX_TOKENS,
    signal: args.signal,
    repair: false,
  });
  // A refused revision ends the run with the model's explanation (no plan kept on a refusal).
  if (!reply.ok && reply.refused) throw new RefusedCall('revision', reply.cause, reply.usage, reply.costUsd);
  const base = { runId: args.runId, kind: 'revision' as const, model: args.model, usage: reply.usage, costUsd: reply.costUsd, durationMs: Date.now() - started };
  if (!reply.ok) {
    const decision = { ...previous, reasoning: `Revision failed, plan kept: ${reply.cause}`, lessonsUsed: [], action: 'continue' as const };
    return { ...recordDecision(db, { ...base, decision, fallbackCause: reply.cause }), kind: 'revision', decision };
  }
  const r = reply.value;
  // Lessons were credited to the run by its first decision; a revision is not shown lessons.
  const decision: Revision =
    r.action === 'change'
      ? {
          pattern: r.pattern ?? previous.pattern,
          agents: r.agents ?? previous.agents,
          expectations: r.expectations ?? previous.expectations,
          params: r.params ?? previous.params,
          reasoning: r.reasoning,
          confidence: r.confidence,
          lessonsUsed: [],
          action: r.action,
        }
      : { ...previous, reasoning: r.reasoning, confidence: r.confidence, lessonsUsed: [], action: r.action };
  return { ...recordDecision(db, { ...base, decision }), kind: 'revision', decision };
}

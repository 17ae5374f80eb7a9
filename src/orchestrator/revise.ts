/**
 * Revisions between pattern phases: the orchestrator sees the plan in force and only what happened
 * since (a delta), and keeps, changes or stops it. At most MAX_REVISIONS attempts per run.
 */
import { learningContext } from '../learning/retrieval.js';
import { callStructured } from '../llm/structured.js';
import type { LlmClient } from '../llm/types.js';
import type { Decision, Revision } from '../patterns/decision.js';
import type { Db } from '../store/db.js';
import { revisionCount } from '../store/decisions.js';
import { getRun } from '../store/runs.js';
import { recordDecision, RefusedCall, type DecisionRecord } from './decide.js';
import { runMenu, type RunMenu } from './menu.js';
import { renderRevisionInput } from './prompts.js';

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
  menu?: RunMenu | undefined;
  signal?: AbortSignal | undefined;
}): Promise<RevisionRecord | null> {
  const { db, previous } = args;
  if (revisionCount(db, args.runId) >= MAX_REVISIONS) return null;
  const started = Date.now();
  const run = getRun(db, args.runId)!;
  const { prompt } = run;
  // Revisions see the lessons too: a failed review round is when "run the tests first" matters.
  const lessons = learningContext(db, run.project, prompt, { context: args.delta }).lessons;
  const shown = new Set(lessons.map((l) => l.id));
  const menu = args.menu ?? runMenu();
  const reply = await callStructured(args.client, menu.revision, {
    model: args.model,
    system: menu.system,
    user: renderRevisionInput(prompt, previous, args.delta, lessons),
    maxTokens: REVISION_MAX_TOKENS,
    signal: args.signal,
    repair: false,
  });
  // A refused revision ends the run with the model's explanation (no plan kept on a refusal).
  if (!reply.ok && reply.refused) throw new RefusedCall('revision', reply.cause, reply.usage, reply.costUsd);
  const base = {
    runId: args.runId,
    kind: 'revision' as const,
    model: args.model,
    usage: reply.usage,
    costUsd: reply.costUsd,
    durationMs: Date.now() - started,
  };
  if (!reply.ok) {
    const decision = { ...previous, reasoning: `Revision failed, plan kept: ${reply.cause}`, lessonsUsed: [], action: 'continue' as const };
    return { ...recordDecision(db, { ...base, decision, fallbackCause: reply.cause }), kind: 'revision', decision };
  }
  const r = reply.value;
  // Only shown ids count as used (marked once per run, like the first decision's).
  const lessonsUsed = [...new Set(r.lessonsUsed ?? [])].filter((id) => shown.has(id));
  const decision: Revision =
    r.action === 'change'
      ? {
          pattern: r.pattern ?? previous.pattern,
          agents: r.agents ?? previous.agents,
          expectations: r.expectations ?? previous.expectations,
          params: r.params ?? previous.params,
          reasoning: r.reasoning,
          confidence: r.confidence,
          lessonsUsed,
          action: r.action,
        }
      : { ...previous, reasoning: r.reasoning, confidence: r.confidence, lessonsUsed, action: r.action };
  return { ...recordDecision(db, { ...base, decision }), kind: 'revision', decision };
}

/**
 * The decision at the start of a run: one structured call to the orchestrator model, validated with
 * zod, repaired once, else a recorded fallback to `direct`. The row is written here, before anyone
 * acts on it.
 */
import { clip } from '../core/text.js';
import type { Usage } from '../core/usage.js';
import { learningContext } from '../learning/retrieval.js';
import { patternStats, statsText } from '../learning/outcomes.js';
import { callStructured } from '../llm/structured.js';
import type { LlmClient } from '../llm/types.js';
import type { Decision } from '../patterns/decision.js';
import type { Db } from '../store/db.js';
import { insertDecision, type DecisionKind } from '../store/decisions.js';
import { getThread, recentMessages } from '../store/threads.js';
import { runMenu, type RunMenu } from './menu.js';
import { renderDecisionInput, type DecisionInput } from './prompts.js';

export type { DecisionInput } from './prompts.js';

export type { DecisionKind } from '../store/decisions.js';

export interface DecisionRecord {
  id: string;
  seq: number;
  kind: DecisionKind;
  /** The plan in force from here on. */
  decision: Decision;
  fallbackCause?: string | undefined;
  model: string;
  /** Tokens and cost of every call this decision took, repair included. */
  usage: Usage;
  costUsd: number;
  durationMs: number;
}

const RECENT_TURNS = 6;
const TURN_CHARS = 800;
/** Room for a model that thinks before it answers; a cut reply is retried once with double. */
const DECISION_MAX_TOKENS = 4096;

/** Everything the decision sees besides the static system prompt. */
export function buildDecisionInput(args: { db: Db; project: string; threadId: string; prompt: string; repoFacts: string }): DecisionInput {
  const { db, project, threadId, prompt } = args;
  const thread = getThread(db, threadId);
  const turns = recentMessages(db, threadId, thread?.summary_upto ?? 0, RECENT_TURNS + 1);
  // The run's own prompt may already be stored as the last message: show it once, as the request.
  const last = turns.at(-1);
  if (last?.role === 'user' && last.content === prompt) turns.pop();
  const recentTurns = turns.slice(-RECENT_TURNS).map((t) => ({ role: t.role, content: clip(t.content, TURN_CHARS) }));
  // A follow-up ("do the same for yen") names its topic only in the thread: its summary, else the last exchange.
  const context =
    thread?.summary ??
    recentTurns
      .slice(-2)
      .map((t) => t.content)
      .join('\n');
  const learned = learningContext(db, project, prompt, { context });
  return {
    prompt,
    threadSummary: thread?.summary ?? undefined,
    recentTurns,
    repoFacts: args.repoFacts,
    lessons: learned.lessons,
    feedbackNotes: learned.notes,
    stats: statsText(patternStats(db, project)),
  };
}

export async function decide(args: {
  db: Db;
  client: LlmClient;
  runId: string;
  model: string;
  input: DecisionInput;
  /** What this run may choose (agent files, playbooks, patterns not disabled); default: the built-ins. */
  menu?: RunMenu | undefined;
  signal?: AbortSignal | undefined;
}): Promise<DecisionRecord> {
  const started = Date.now();
  const { input } = args;
  const menu = args.menu ?? runMenu();
  const reply = await callStructured(args.client, menu.decision, {
    model: args.model,
    system: menu.system,
    user: renderDecisionInput(input),
    maxTokens: DECISION_MAX_TOKENS,
    signal: args.signal,
    repair: true,
  });
  // A refused decision is not repaired and not replaced by a fallback: the run ends with the model's explanation.
  if (!reply.ok && reply.refused) throw new RefusedCall('decision', reply.cause, reply.usage, reply.costUsd);
  const shown = new Set(input.lessons.map((l) => l.id));
  const base = { runId: args.runId, model: args.model, usage: reply.usage, costUsd: reply.costUsd, durationMs: Date.now() - started };
  if (reply.ok) {
    // Only ids it was shown count as used: a made-up id must not earn or lose weight.
    const decision: Decision = { ...reply.value, lessonsUsed: [...new Set(reply.value.lessonsUsed)].filter((id) => shown.has(id)) };
    return recordDecision(args.db, { ...base, kind: 'initial', decision });
  }
  return recordDecision(args.db, { ...base, kind: 'fallback', decision: fallbackDecision(input.prompt, reply.cause), fallbackCause: reply.cause });
}

/** What a run does when no valid decision could be had: the whole request to one coder. */
export function fallbackDecision(prompt: string, cause: string): Decision {
  return {
    pattern: 'direct',
    agents: [{ role: 'coder', instructions: prompt.trim() || '(empty request)' }],
    reasoning: `Fallback to direct: ${cause}`,
    expectations: '',
    lessonsUsed: [],
    confidence: 0,
  };
}

/**
 * Writes a decisions row with the next seq of its run (decision_json is the decision as given: a
 * revision's includes its action), and marks the lessons it used once per run.
 */
export function recordDecision(db: Db, row: Omit<DecisionRecord, 'id' | 'seq'> & { runId: string }): DecisionRecord {
  const { id, seq } = insertDecision(db, {
    runId: row.runId,
    kind: row.kind,
    pattern: row.decision.pattern,
    decisionJson: JSON.stringify(row.decision),
    reasoning: row.decision.reasoning,
    confidence: row.decision.confidence,
    fallbackCause: row.fallbackCause,
    model: row.model,
    usage: row.usage,
    costUsd: row.costUsd,
    durationMs: row.durationMs,
    lessonsUsed: row.decision.lessonsUsed,
  });
  return {
    id,
    seq,
    kind: row.kind,
    decision: row.decision,
    fallbackCause: row.fallbackCause,
    model: row.model,
    usage: row.usage,
    costUsd: row.costUsd,
    durationMs: row.durationMs,
  };
}

/** A structured call the model refused: it ends the run, with the call's cost to account. */
export class RefusedCall extends Error {
  constructor(
    readonly call: 'decision' | 'revision',
    cause: string,
    readonly usage: Usage,
    readonly costUsd: number,
  ) {
    super(`the orchestrator's ${call} call was refused: ${cause}`);
    this.name = 'RefusedCall';
  }
}

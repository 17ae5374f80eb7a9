/**
 * The decision at the start of a run: one structured call to the orchestrator model, validated with
 * zod, repaired once, else a recorded fallback to `direct`. The row is written here, before anyone
 * acts on it.
 */
import type { z } from 'zod';
import { errorMessage } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { textOf } from '../llm/content.js';
import { LlmError, type LlmClient, type MessageParam } from '../llm/types.js';
import { addUsage, emptyUsage, type Usage } from '../core/usage.js';
import { immediate, now, type Db } from '../store/db.js';
import { Decision, outputSchema } from './decision.js';
import { relevantLessons } from './lessons.js';
import { patternStats, statsText } from './outcomes.js';
import { clip, decisionSystemPrompt, renderDecisionInput, type DecisionInput } from './prompts.js';

export type { DecisionInput } from './prompts.js';

export type DecisionKind = 'initial' | 'revision' | 'fallback';

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
const LESSONS_SHOWN = 5;
/** Room for a model that thinks before it answers; a cut reply is retried once with double. */
const DECISION_MAX_TOKENS = 4096;

/** Everything the decision sees besides the static system prompt. */
export function buildDecisionInput(args: { db: Db; project: string; threadId: string; prompt: string; repoFacts: string }): DecisionInput {
  const { db, project, threadId, prompt } = args;
  const thread = db.prepare('SELECT summary, summary_upto FROM threads WHERE id = ?').get(threadId) as
    | { summary: string | null; summary_upto: number }
    | undefined;
  const turns = (
    db
      .prepare('SELECT role, content FROM messages WHERE thread_id = ? AND id > ? ORDER BY id DESC LIMIT ?')
      .all(threadId, thread?.summary_upto ?? 0, RECENT_TURNS + 1) as DecisionInput['recentTurns']
  ).reverse();
  // The run's own prompt may already be stored as the last message: show it once, as the request.
  const last = turns.at(-1);
  if (last?.role === 'user' && last.content === prompt) turns.pop();
  return {
    prompt,
    threadSummary: thread?.summary ?? undefined,
    recentTurns: turns.slice(-RECENT_TURNS).map((t) => ({ role: t.role, content: clip(t.content, TURN_CHARS) })),
    repoFacts: args.repoFacts,
    lessons: relevantLessons(db, project, prompt, LESSONS_SHOWN).map((l) => ({ id: l.id, text: l.text })),
    stats: statsText(patternStats(db, project)),
  };
}

export async function decide(args: {
  db: Db;
  client: LlmClient;
  runId: string;
  model: string;
  input: DecisionInput;
  signal?: AbortSignal | undefined;
}): Promise<DecisionRecord> {
  const started = Date.now();
  const { input } = args;
  const reply = await callStructured(args.client, Decision, {
    model: args.model,
    system: decisionSystemPrompt(),
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
    const decision = { ...reply.value, lessonsUsed: [...new Set(reply.value.lessonsUsed)].filter((id) => shown.has(id)) };
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
 * revision's includes its action), and marks the lessons it used
 * (lesson_uses, lessons.uses) once per run.
 */
export function recordDecision(
  db: Db,
  row: Omit<DecisionRecord, 'id' | 'seq'> & { runId: string },
): DecisionRecord {
  const id = newId('d');
  const seq = immediate(db, () => {
    const { next } = db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM decisions WHERE run_id = ?').get(row.runId) as { next: number };
    db.prepare(
      `INSERT INTO decisions (id, run_id, seq, kind, pattern, decision_json, reasoning, confidence, fallback_cause, model,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, duration_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      row.runId,
      next,
      row.kind,
      row.decision.pattern,
      JSON.stringify(row.decision),
      row.decision.reasoning,
      row.decision.confidence,
      row.fallbackCause ?? null,
      row.model,
      row.usage.inputTokens,
      row.usage.outputTokens,
      row.usage.cacheReadTokens,
      row.usage.cacheWriteTokens,
      row.costUsd,
      row.durationMs,
      now(),
    );
    const use = db.prepare('INSERT OR IGNORE INTO lesson_uses (lesson_id, run_id) SELECT id, ? FROM lessons WHERE id = ?');
    const bump = db.prepare('UPDATE lessons SET uses = uses + 1 WHERE id = ?');
    for (const lessonId of row.decision.lessonsUsed) {
      if (use.run(row.runId, lessonId).changes > 0) bump.run(lessonId);
    }
    return next;
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

export type StructuredReply<T> =
  | { ok: true; value: T; usage: Usage; costUsd: number }
  | { ok: false; cause: string; usage: Usage; costUsd: number; refused?: true };

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

const refusalCause = (d: { category: string | null; explanation: string | null } | undefined): string =>
  `the model refused${d?.category ? ` (${d.category})` : ''}: ${d?.explanation ?? 'it gave no explanation'}`;

/**
 * One structured-output call validated with `schema`. A reply cut at max_tokens is asked again
 * once with double the limit (a repair at the same limit would be cut again). With `repair`, an
 * invalid reply gets one more turn that shows the model its errors. A refusal is final: no
 * repair, `refused` set. API failures and invalid output come back as a cause; only an abort throws.
 */
export async function callStructured<S extends z.ZodType>(
  client: LlmClient,
  schema: S,
  req: { model: string; system: string; user: string; maxTokens: number; signal?: AbortSignal | undefined; repair: boolean },
): Promise<StructuredReply<z.output<S>>> {
  const jsonSchema = outputSchema(schema);
  const messages: MessageParam[] = [{ role: 'user', content: req.user }];
  let usage = emptyUsage();
  let costUsd = 0;
  let maxTokens = req.maxTokens;
  let doubled = false;
  for (let attempt = 1; ; attempt++) {
    let text: string;
    let stopReason: string | null;
    let stopDetails: { category: string | null; explanation: string | null } | undefined;
    try {
      const result = await client.call({
        model: req.model,
        system: req.system,
        messages,
        maxTokens,
        effort: 'low',
        jsonSchema,
        // The user turn is sent once (a repair is rare): caching it would bill a write never read.
        cacheTurns: false,
        signal: req.signal,
      });
      usage = addUsage(usage, result.usage);
      costUsd += result.costUsd;
      text = textOf(result.content);
      stopReason = result.stopReason;
      stopDetails = result.stopDetails;
    } catch (err) {
      if (req.signal?.aborted || (err instanceof LlmError && err.kind === 'aborted')) throw err;
      return { ok: false, cause: `API error: ${errorMessage(err)}`, usage, costUsd };
    }
    if (stopReason === 'refusal') return { ok: false, refused: true, cause: refusalCause(stopDetails), usage, costUsd };
    const parsed = parseReply(schema, text, stopReason);
    if (parsed.ok) return { ok: true, value: parsed.value, usage, costUsd };
    if (stopReason === 'max_tokens' && !doubled) {
      doubled = true;
      maxTokens *= 2;
      attempt--; // not a repair: the same request with room
      continue;
    }
    if (!req.repair || attempt > 1) {
      return { ok: false, cause: `invalid output${attempt > 1 ? ' after one repair' : ''}: ${parsed.errors.replace(/\n/g, '; ')}`, usage, costUsd };
    }
    messages.push(
      { role: 'assistant', content: text.trim() || '(empty)' },
      { role: 'user', content: `That reply is invalid:\n${parsed.errors}\nReply again with the corrected JSON only.` },
    );
  }
}

const MAX_ISSUES = 8;

function parseReply<S extends z.ZodType>(
  schema: S,
  text: string,
  stopReason: string | null,
): { ok: true; value: z.output<S> } | { ok: false; errors: string } {
  let json: unknown;
  try {
    // Structured output is bare JSON; a fenced block is tolerated for endpoints that ignore output_config.
    json = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch (err) {
    const cut = stopReason === 'max_tokens' ? ' (cut off at max_tokens)' : '';
    return { ok: false, errors: `- not valid JSON${cut}: ${errorMessage(err)}` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.slice(0, MAX_ISSUES).map((i) => `- ${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, errors: issues.join('\n') };
}

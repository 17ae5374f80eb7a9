/**
 * The one way tests write history into a real database: through the functions the program itself
 * writes with (src/store, and the orchestrator's record functions where the store has none yet),
 * so seeded rows are rows the program could have written. `at` sets the clock those functions
 * stamp rows and ids with, so a test can lay out a history over days.
 */
import type { RunStatus } from '../../src/core/events.js';
import type { RunOptions } from '../../src/core/run.js';
import type { Usage } from '../../src/core/usage.js';
import { recordDecision } from '../../src/orchestrator/decide.js';
import { recordFeedback } from '../../src/learning/feedback.js';
import { addLessons, type Verdict } from '../../src/learning/lessons.js';
import { replaceAnalysis } from '../../src/store/analyses.js';
import type { Decision } from '../../src/patterns/decision.js';
import { finishToolCall, insertAgentCall, insertToolCall, recordAgentTurn, setAgentStatus } from '../../src/store/agent-calls.js';
import type { Db } from '../../src/store/db.js';
import { insertPlanSteps, updatePlanStep, type PlanStepStatus } from '../../src/store/plan-steps.js';
import { answerQuestion, insertQuestion } from '../../src/store/questions.js';
import { addRunUsage, createRun, finishRun, setRunPattern, setRunStatus } from '../../src/store/runs.js';
import { appendMessage, createThread, setThreadSummary } from '../../src/store/threads.js';
import { newId } from '../../src/core/ids.js';

export const SEED_PROJECT = '/projects/demo';
export const SEED_OPTIONS: RunOptions = { model: 'claude-sonnet-5-5', orchestratorModel: 'claude-haiku-5-5', permissionMode: 'ask' };

/** Runs `fn` with Date.now() at `t` (the store stamps rows and ids with it); synchronous only. */
export function atTime<T>(t: number | undefined, fn: () => T): T {
  if (t === undefined) return fn();
  const real = Date.now;
  Date.now = () => t;
  try {
    return fn();
  } finally {
    Date.now = real;
  }
}

export interface Tokens {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}
export const usageOf = (t: Tokens = {}): Usage => ({
  inputTokens: t.input ?? 0,
  outputTokens: t.output ?? 0,
  cacheReadTokens: t.cacheRead ?? 0,
  cacheWriteTokens: t.cacheWrite ?? 0,
});

const FINAL_RUN: readonly RunStatus[] = ['completed', 'failed', 'cancelled', 'interrupted'];
const FINAL_AGENT = ['completed', 'failed', 'cancelled'];

export function seedThread(db: Db, o: { project?: string; title?: string; at?: number; summary?: string; summaryUpto?: number } = {}): string {
  const id = atTime(o.at, () => createThread(db, o.project ?? SEED_PROJECT, o.title ?? '').id);
  if (o.summary !== undefined) atTime(o.at, () => setThreadSummary(db, id, o.summary!, o.summaryUpto ?? 0));
  return id;
}

export function seedMessage(db: Db, threadId: string, role: 'user' | 'assistant', content: string, o: { runId?: string; at?: number } = {}): number {
  return atTime(o.at, () => appendMessage(db, threadId, o.runId ?? null, role, content));
}

export interface SeedRun {
  threadId?: string;
  project?: string;
  prompt?: string;
  status?: RunStatus;
  pattern?: string;
  result?: string;
  error?: string;
  options?: RunOptions;
  /** Started at (default: now); a finished run ends durationMs later (default 1 s). */
  at?: number;
  durationMs?: number;
  costUsd?: number;
  tokens?: Tokens;
  /** Also append the prompt to the thread as its user message, as a run start does. */
  message?: boolean;
  /** A chosen id (for id-prefix tests); otherwise the store's own. */
  id?: string;
}

/** A run as the lifecycle leaves it: created, its pattern set, its usage added, finished in `status`. */
export function seedRun(db: Db, o: SeedRun = {}): string {
  const project = o.project ?? SEED_PROJECT;
  const threadId = o.threadId ?? seedThread(db, { project, at: o.at });
  const prompt = o.prompt ?? 'fix the failing test';
  let id = atTime(o.at, () => createRun(db, { threadId, project, prompt, options: o.options ?? SEED_OPTIONS }).id);
  if (o.id) id = renameRun(db, id, o.id);
  if (o.message) seedMessage(db, threadId, 'user', prompt, { runId: id, at: o.at });
  if (o.pattern) setRunPattern(db, id, o.pattern);
  if (o.costUsd !== undefined || o.tokens) addRunUsage(db, id, usageOf(o.tokens), o.costUsd ?? 0);
  const status = o.status ?? 'running';
  const end = o.at === undefined ? undefined : o.at + (o.durationMs ?? 1000);
  if (FINAL_RUN.includes(status)) atTime(end, () => finishRun(db, id, status, o.result, o.error));
  else if (status !== 'running') setRunStatus(db, id, status);
  return id;
}

/**
 * The one statement the store has no function for: tests of id-prefix lookups need chosen ids.
 * Only right after createRun, before anything refers to the run.
 */
function renameRun(db: Db, from: string, to: string): string {
  db.prepare('UPDATE runs SET id = ? WHERE id = ?').run(to, from);
  return to;
}

export interface SeedAgentCall {
  role?: string;
  label?: string;
  model?: string;
  instructions?: string;
  decisionId?: string;
  status?: 'ready' | 'executing' | 'completed' | 'failed' | 'cancelled';
  turns?: number;
  retries?: number;
  result?: string;
  error?: string;
  tokens?: Tokens;
  cost?: number;
  /** Also add the usage to the run, as every turn does. */
  chargeRun?: boolean;
  at?: number;
  durationMs?: number;
}

/** An agent call with its turns recorded (usage, retries on the first) and its final status. */
export function seedAgentCall(db: Db, runId: string, o: SeedAgentCall = {}): string {
  const id = atTime(o.at, () => newId('a'));
  const role = o.role ?? 'coder';
  atTime(o.at, () =>
    insertAgentCall(db, {
      id,
      runId,
      decisionId: o.decisionId,
      role,
      label: o.label ?? 'direct',
      model: o.model ?? 'm',
      instructions: o.instructions ?? `act as ${role}`,
    }),
  );
  const turns = o.turns ?? 0;
  for (let i = 0; i < turns; i++) {
    const first = i === 0;
    recordAgentTurn(db, id, first ? usageOf(o.tokens) : usageOf(), first ? (o.cost ?? 0) : 0, first ? (o.retries ?? 0) : 0, 'end_turn', '{"messages":[]}');
  }
  if (turns === 0 && (o.retries || o.tokens || o.cost)) {
    throw new Error('seedAgentCall: usage, cost and retries are recorded per turn; give turns ≥ 1');
  }
  if (o.chargeRun) addRunUsage(db, runId, usageOf(o.tokens), o.cost ?? 0);
  const status = o.status ?? 'completed';
  if (status !== 'ready') {
    const end = FINAL_AGENT.includes(status) && o.at !== undefined ? o.at + (o.durationMs ?? 0) : undefined;
    atTime(end, () => setAgentStatus(db, id, status, { result: o.result, error: o.error }));
  }
  return id;
}

let toolSeq = 0;

/** A tool call requested and finished (default: completed), as the loop records it. */
export function seedToolCall(
  db: Db,
  runId: string,
  agentCallId: string,
  o: {
    name: string;
    input: unknown;
    status?: 'completed' | 'failed' | 'denied' | 'cancelled' | 'requested';
    output?: string;
    isError?: boolean;
    permission?: string;
    at?: number;
    durationMs?: number;
    id?: string;
  },
): string {
  const id = o.id ?? `toolu_seed${String(++toolSeq).padStart(6, '0')}`;
  atTime(o.at, () => insertToolCall(db, { id, agentCallId, runId, name: o.name, input: o.input }));
  const status = o.status ?? (o.isError ? 'failed' : 'completed');
  if (status !== 'requested') {
    const durationMs = o.durationMs ?? 40;
    atTime(o.at === undefined ? undefined : o.at + durationMs, () =>
      finishToolCall(db, id, { status, output: o.output ?? '', isError: o.isError ?? false, durationMs, permission: o.permission }),
    );
  }
  return id;
}

export function seedQuestion(
  db: Db,
  runId: string,
  o: { agentCallId?: string; question: string; options?: string[]; answer?: string; at?: number; answeredAfterMs?: number },
): string {
  const q = atTime(o.at, () => insertQuestion(db, { runId, agentCallId: o.agentCallId, question: o.question, options: o.options }));
  if (o.answer !== undefined) atTime(o.at === undefined ? undefined : o.at + (o.answeredAfterMs ?? 5000), () => answerQuestion(db, q.id, o.answer!));
  return q.id;
}

export function seedPlanSteps(
  db: Db,
  runId: string,
  steps: { title: string; instructions?: string; params?: Record<string, unknown>; status?: PlanStepStatus; agentCallId?: string; output?: string }[],
): void {
  insertPlanSteps(
    db,
    runId,
    steps.map((s) => ({ title: s.title, instructions: s.instructions ?? `do ${s.title}`, params: s.params ?? {} })),
  );
  steps.forEach((s, i) => {
    if (s.status && s.status !== 'pending') updatePlanStep(db, runId, i + 1, { status: s.status, agentCallId: s.agentCallId, output: s.output });
  });
}

/** A decision row through the orchestrator's own recordDecision (the next seq of its run; lessons used are marked). */
export function seedDecision(
  db: Db,
  runId: string,
  o: {
    decision: Partial<Decision> & Record<string, unknown>;
    kind?: 'initial' | 'revision' | 'fallback';
    model?: string;
    tokens?: Tokens;
    cost?: number;
    durationMs?: number;
    fallbackCause?: string;
    chargeRun?: boolean;
    at?: number;
  },
): string {
  const decision = {
    pattern: 'direct',
    agents: [{ role: 'coder', instructions: 'do it' }],
    reasoning: 'a test decision',
    expectations: 'tests pass',
    lessonsUsed: [],
    confidence: 0.8,
    ...o.decision,
  } as Decision;
  const record = atTime(o.at, () =>
    recordDecision(db, {
      runId,
      kind: o.kind ?? 'initial',
      decision,
      model: o.model ?? 'claude-haiku-5-5',
      usage: usageOf(o.tokens),
      costUsd: o.cost ?? 0,
      durationMs: o.durationMs ?? 900,
      ...(o.fallbackCause ? { fallbackCause: o.fallbackCause } : {}),
    }),
  );
  if (o.chargeRun) addRunUsage(db, runId, usageOf(o.tokens), o.cost ?? 0);
  return record.id;
}

export function seedAnalysis(
  db: Db,
  runId: string,
  o: { outcome: string; summary: string; signals?: unknown; model?: string; tokens?: Tokens; cost?: number; at?: number },
): void {
  atTime(o.at, () =>
    replaceAnalysis(db, {
      runId,
      outcome: o.outcome,
      summary: o.summary,
      signalsJson: JSON.stringify(o.signals ?? {}),
      model: o.model ?? 'claude-haiku-5-5',
      usage: usageOf(o.tokens),
      costUsd: o.cost ?? 0,
    }),
  );
}

/** A lesson through addLessons; `runId` null is a lesson no run wrote (e.g. one carried over). */
export function seedLesson(db: Db, o: { project?: string; runId: string | null; pattern: string | null; text: string; at?: number }): number {
  // addLessons is typed for the lifecycle, which always has a run; the column allows NULL.
  const { added, reinforced } = atTime(o.at, () => addLessons(db, o.project ?? SEED_PROJECT, o.runId as string, o.pattern, [o.text]));
  return added[0] ?? reinforced[0]!;
}

/** Feedback through recordFeedback (lesson weights move as they would). */
export function seedFeedback(db: Db, runId: string, verdict: Verdict, o: { note?: string; at?: number } = {}): void {
  atTime(o.at, () => recordFeedback(db, runId, verdict, o.note));
}

/**
 * A stored JSON column overwritten with `text`: a row an older or broken writer left, which no
 * store function writes on purpose. The one UPDATE tests need for it.
 */
export function corruptStoredJson(db: Db, table: 'decisions' | 'runs' | 'agent_calls' | 'plan_steps', column: string, id: string, text: string): void {
  db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${table === 'plan_steps' ? 'rowid' : 'id'} = ?`).run(text, id);
}

/**
 * The post-run analysis: measured signals from the store plus one cheap LLM post-mortem, written as
 * an `analyses` row and 0-3 lessons. Without the LLM it still writes what the signals show.
 */
import { z } from 'zod';
import { clip } from '../core/text.js';
import type { Usage } from '../core/usage.js';
import { callStructured } from '../llm/structured.js';
import type { LlmClient } from '../llm/types.js';
import { Revision } from '../patterns/decision.js';
import { replaceAnalysis } from '../store/analyses.js';
import { immediate, type Db } from '../store/db.js';
import { runDecisions } from '../store/decisions.js';
import { getRun } from '../store/runs.js';
import { addLessons, relevantLessons } from './lessons.js';
import { collectSignals, type RunSignals } from './signals.js';

export { collectSignals, type RunSignals, type TestRun } from './signals.js';

export const AnalysisReply = z.object({
  outcome: z.enum(['success', 'partial', 'failure']),
  summary: z.string().min(1),
  lessons: z.array(z.string().min(1)).max(3),
});
export type AnalysisReply = z.infer<typeof AnalysisReply>;

export type Outcome = AnalysisReply['outcome'];

export const ANALYSIS_SYSTEM =
  "You review a finished run of baton, a coding assistant whose orchestrator picks a pattern and sub-agents per request. Given the request, the decision and measured signals, judge the outcome and write 0-3 lessons: reusable advice for orchestrating future requests in this project (pattern, team, instructions, verification), e.g. \"In this repo run `npm test`: reviewers without tests approved broken code\". No lessons that only restate this task or repeat a known lesson; [] is fine. Reply with JSON only.";


const ANALYSIS_MAX_TOKENS = 700;

export interface AnalysisRecord {
  runId: string;
  outcome: Outcome;
  summary: string;
  /** The lessons the post-mortem wrote (new or reinforced). */
  lessons: string[];
  lessonIds: number[];
  signals: RunSignals;
  model: string;
  usage: Usage;
  costUsd: number;
  /** Set when the LLM post-mortem failed and the analysis is from signals alone. */
  note?: string | undefined;
}

/** The outcome the signals alone support, when there is no LLM judgement. */
export function outcomeFromSignals(s: RunSignals): Outcome {
  if (s.status === 'completed') return s.testsPassed === false ? 'partial' : 'success';
  if (s.status === 'cancelled' || s.status === 'waiting_user') return 'partial';
  return 'failure';
}

/** What was measured bounds what the model may claim: a run that did not complete, or whose last tests failed, is no success. */
function boundedOutcome(judged: Outcome, s: RunSignals): Outcome {
  return judged === 'success' && (s.status !== 'completed' || s.testsPassed === false) ? outcomeFromSignals(s) : judged;
}

function signalsSummary(s: RunSignals): string {
  const tests = s.tests.length ? `tests ${s.testsPassed === null ? 'not finished' : s.testsPassed ? 'passed' : 'failed'}` : 'no tests run';
  const error = s.error ? `: ${clip(s.error, 200)}` : '';
  return `Run ${s.status}${error}; pattern ${s.pattern ?? 'none'}; ${s.filesChanged.length} files changed; ${tests}.`;
}

/** A stored decision, checked on load; an unreadable one shows as empty rather than failing the analysis. */
function storedDecision(json: string): Partial<Revision> {
  try {
    const parsed = Revision.partial().safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function analysisInput(db: Db, runId: string, signals: RunSignals): { project: string; user: string } {
  const run = getRun(db, runId)!;
  const plan = runDecisions(db, runId).map((d) => {
    const json = storedDecision(d.decision_json);
    const agents = (json.agents ?? []).map((a) => a.role).join('+');
    const expected = json.expectations ? ` Expected: ${clip(json.expectations, 200)}` : '';
    return `${d.kind}${json.action ? ` (${json.action})` : ''}: ${d.pattern} [${agents}] ${clip(json.reasoning ?? '', 300)}${expected}`;
  });
  const known = relevantLessons(db, run.project, run.prompt).map((l) => `- ${l.text}`);
  const user = [
    `<request>\n${clip(run.prompt, 1500)}\n</request>`,
    `<decisions>\n${plan.join('\n')}\n</decisions>`,
    `<signals>\n${JSON.stringify(signals)}\n</signals>`,
    `<result>\n${clip(run.result ?? signals.error ?? '(none)', 800)}\n</result>`,
    known.length ? `<known_lessons>\n${known.join('\n')}\n</known_lessons>` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return { project: run.project, user };
}

/**
 * Analyses a finished run and stores the result (replacing an earlier analysis of the same run).
 * An LLM failure yields an analysis from the signals alone, with `note`; only an abort throws
 * (and an unknown run id).
 */
export async function analyzeRun(args: { db: Db; client: LlmClient; runId: string; model: string; signal?: AbortSignal | undefined }): Promise<AnalysisRecord> {
  const { db, runId } = args;
  const signals = collectSignals(db, runId);
  const { project, user } = analysisInput(db, runId, signals);
  const reply = await callStructured(args.client, AnalysisReply, {
    model: args.model,
    system: ANALYSIS_SYSTEM,
    user,
    maxTokens: ANALYSIS_MAX_TOKENS,
    signal: args.signal,
    repair: false,
  });
  const judged = reply.ok
    ? { ...reply.value, outcome: boundedOutcome(reply.value.outcome, signals) }
    : { outcome: outcomeFromSignals(signals), summary: signalsSummary(signals), lessons: [] as string[] };
  // A refusal is recorded as one: the analysis comes from the signals, with the model's explanation.
  const note = reply.ok ? undefined : reply.refused ? `the post-mortem was refused: ${reply.cause}` : `no LLM post-mortem: ${reply.cause}`;
  const lessonIds = immediate(db, () => {
    replaceAnalysis(db, {
      runId,
      outcome: judged.outcome,
      summary: note ? `${judged.summary} (${note})` : judged.summary,
      signalsJson: JSON.stringify(note ? { ...signals, note } : signals),
      model: args.model,
      usage: reply.usage,
      costUsd: reply.costUsd,
    });
    const { added, reinforced } = addLessons(db, project, runId, signals.pattern, judged.lessons);
    return [...added, ...reinforced];
  });
  return {
    runId,
    outcome: judged.outcome,
    summary: judged.summary,
    lessons: judged.lessons.map((l) => l.trim()).filter(Boolean),
    lessonIds,
    signals,
    model: args.model,
    usage: reply.usage,
    costUsd: reply.costUsd,
    note,
  };
}

/**
 * The post-run analysis: measured signals from the store plus one cheap LLM post-mortem, written as
 * an `analyses` row and 0-3 lessons. Without the LLM it still writes what the signals show.
 */
import * as z from '../core/zod.js';
import { clip } from '../core/text.js';
import type { Usage } from '../core/usage.js';
import { callStructured } from '../llm/structured.js';
import type { LlmClient } from '../llm/types.js';
import { Revision } from '../patterns/decision.js';
import { replaceAnalysis } from '../store/analyses.js';
import { immediate, type Db } from '../store/db.js';
import { runDecisions } from '../store/decisions.js';
import { getRun } from '../store/runs.js';
import { getLesson } from '../store/lessons.js';
import { applyLessonOps, LessonOp } from './lessons.js';
import { resolveProject } from './project.js';
import { lessonLine, rankLessons } from './retrieval.js';
import { collectSignals, type RunSignals } from './signals.js';

export { collectSignals, type RunSignals, type TestRun } from './signals.js';

export const AnalysisReply = z.object({
  outcome: z.enum(['success', 'partial', 'failure']),
  summary: z.string().check(z.minLength(1)),
  /** Operations on the project's lessons (ExpeL): new advice, a rewording or merge, or a vote on a shown one. */
  lessons: z.array(LessonOp).check(z.maxLength(5)),
});
export type AnalysisReply = z.infer<typeof AnalysisReply>;

export type Outcome = AnalysisReply['outcome'];

export const ANALYSIS_SYSTEM = [
  'You review a finished run of baton, a coding assistant whose orchestrator picks a pattern and sub-agents per request. Given the request, the decision and measured signals, judge the outcome and maintain the project\'s lessons: reusable advice for orchestrating future requests in this project (pattern, team, instructions, verification), e.g. "In this repo run `npm test`: reviewers without tests approved broken code".',
  'lessons is a list of at most 5 operations on them; [] is fine:',
  '- {"op":"add","text":...,"keywords":[...]}: new advice no known lesson covers. Not one that only restates this task.',
  '- {"op":"edit","id":N,"text":...}: reword or merge a known lesson (N) when this run refines it.',
  '- {"op":"reinforce","id":N}: this run confirms known lesson N. {"op":"weaken","id":N}: this run contradicts it.',
  'keywords: up to 8 words a user might type for the same situation that the text does not contain (synonyms, file or tool names).',
  'Never add a lesson that repeats a known one: reinforce or edit it. Reply with JSON only.',
].join('\n');

/** How many related lessons the analysis is shown to consolidate against. */
const ANALYSIS_LESSONS = 10;

const ANALYSIS_MAX_TOKENS = 700;

export interface AnalysisRecord {
  runId: string;
  outcome: Outcome;
  summary: string;
  /** The lessons the post-mortem wrote, reworded or reinforced (their texts). */
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
    const parsed = z.partial(Revision).safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function analysisInput(db: Db, runId: string, signals: RunSignals): { project: string; prompt: string; user: string; shown: Set<number> } {
  const run = getRun(db, runId)!;
  const plan = runDecisions(db, runId).map((d) => {
    const json = storedDecision(d.decision_json);
    const agents = (json.agents ?? []).map((a) => a.role).join('+');
    const expected = json.expectations ? ` Expected: ${clip(json.expectations, 200)}` : '';
    return `${d.kind}${json.action ? ` (${json.action})` : ''}: ${d.pattern} [${agents}] ${clip(json.reasoning ?? '', 300)}${expected}`;
  });
  // The lessons related to the request and what came of it: the ones this run may confirm, refine or repeat.
  const related = rankLessons(db, resolveProject(db, run.project).key, run.prompt, { context: run.result ?? signals.error ?? undefined })
    .filter((l) => l.related)
    .slice(0, ANALYSIS_LESSONS);
  const known = related.map(lessonLine);
  const user = [
    `<request>\n${clip(run.prompt, 1500)}\n</request>`,
    `<decisions>\n${plan.join('\n')}\n</decisions>`,
    `<signals>\n${JSON.stringify(signals)}\n</signals>`,
    `<result>\n${clip(run.result ?? signals.error ?? '(none)', 800)}\n</result>`,
    known.length ? `<known_lessons>\n${known.join('\n')}\n</known_lessons>` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return { project: run.project, prompt: run.prompt, user, shown: new Set(related.map((l) => l.id)) };
}

/**
 * Analyses a finished run and stores the result (replacing an earlier analysis of the same run).
 * An LLM failure yields an analysis from the signals alone, with `note`; only an abort throws
 * (and an unknown run id).
 */
export async function analyzeRun(args: { db: Db; client: LlmClient; runId: string; model: string; signal?: AbortSignal | undefined }): Promise<AnalysisRecord> {
  const { db, runId } = args;
  const signals = collectSignals(db, runId);
  const { project, prompt, user, shown } = analysisInput(db, runId, signals);
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
    : { outcome: outcomeFromSignals(signals), summary: signalsSummary(signals), lessons: [] as LessonOp[] };
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
    // Feedback given before this analysis finished is applied inside, to what it writes.
    const ops = applyLessonOps(db, { projectPath: project, runId, pattern: signals.pattern, prompt, ops: judged.lessons, shownIds: shown });
    return [...ops.added, ...ops.edited, ...ops.reinforced];
  });
  return {
    runId,
    outcome: judged.outcome,
    summary: judged.summary,
    lessons: lessonIds.map((id) => getLesson(db, id)?.text ?? '').filter(Boolean),
    lessonIds,
    signals,
    model: args.model,
    usage: reply.usage,
    costUsd: reply.costUsd,
    note,
  };
}

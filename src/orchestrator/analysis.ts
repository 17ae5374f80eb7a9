/**
 * The post-run analysis: measured signals from the store plus one cheap LLM post-mortem, written as
 * an `analyses` row and 0-3 lessons. Without the LLM it still writes what the signals show.
 */
import type { RunStatus } from '../core/events.js';
import type { LlmClient } from '../llm/types.js';
import type { Usage } from '../core/usage.js';
import { immediate, now, type Db } from '../store/db.js';
import { getRun, runUsage } from '../store/runs.js';
import { callStructured } from './decide.js';
import { AnalysisReply, Revision } from './decision.js';
import { addLessons, relevantLessons } from './lessons.js';
import { ANALYSIS_SYSTEM, clip } from './prompts.js';

export type Outcome = AnalysisReply['outcome'];

export interface TestRun {
  command: string;
  /** null: not run to the end (denied, cancelled). */
  passed: boolean | null;
}

export interface RunSignals {
  status: RunStatus;
  error?: string | undefined;
  pattern: string | null;
  durationMs: number;
  costUsd: number;
  tokens: Usage;
  decisions: number;
  revisions: number;
  /** Why the run fell back to `direct`, if it did. */
  fallbackCause?: string | undefined;
  agentCalls: number;
  agentsFailed: number;
  retries: number;
  toolCalls: number;
  toolErrors: number;
  toolsDenied: number;
  /** Test-runner commands run through bash, in order. */
  tests: TestRun[];
  /** Result of the last test run; null when no tests ran to the end. */
  testsPassed: boolean | null;
  filesChanged: string[];
  /** Agent and tool calls cancelled. */
  cancellations: number;
  questions: { asked: number; answered: number };
  /** Reviewer verdicts in order (review-loop). */
  reviewVerdicts: ('approved' | 'rejected' | 'failed')[];
}

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

const TEST_COMMAND =
  /\b(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?test|npx\s+(?:vitest|jest|mocha)|vitest|jest|mocha|pytest|py\.test|python3?\s+-m\s+(?:pytest|unittest)|go\s+test|cargo\s+(?:test|nextest)|make\s+(?:test|check)|mvn\s+(?:test|verify)|gradlew?\s+test|dotnet\s+test|rspec|phpunit|ctest|mix\s+test|deno\s+test)\b/;
/** The bash tool reports its exit status in its output ("exit 1", "exit code: 0"); the last one is the command's. */
const EXIT_CODE = /\bexit(?:\s+code)?[:=\s]+(-?\d+)/gi;
/** The review-loop reviewer ends with {"approved": true|false, ...}. */
const REVIEW_APPROVED = /"approved"\s*:\s*(true|false)/g;
const MAX_TESTS = 10;
const MAX_FILES = 50;
const ANALYSIS_MAX_TOKENS = 700;

interface ToolRow {
  name: string;
  input_json: string;
  status: string;
  output: string | null;
  is_error: number;
}

function inputField(row: ToolRow, field: string): string | undefined {
  try {
    const value = (JSON.parse(row.input_json) as Record<string, unknown> | null)?.[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function testResult(row: ToolRow): boolean | null {
  if (row.status !== 'completed' && row.status !== 'failed') return null;
  const code = [...(row.output ?? '').matchAll(EXIT_CODE)].at(-1)?.[1];
  return code !== undefined ? Number(code) === 0 : !row.is_error;
}

/** What the store says happened in a run. Throws only for an unknown run. */
export function collectSignals(db: Db, runId: string): RunSignals {
  const run = getRun(db, runId);
  if (!run) throw new Error(`no run ${runId}`);
  const decisions = db.prepare('SELECT kind, pattern, fallback_cause FROM decisions WHERE run_id = ? ORDER BY seq').all(runId) as {
    kind: string;
    pattern: string;
    fallback_cause: string | null;
  }[];
  const agents = db.prepare('SELECT role, label, status, retries, result FROM agent_calls WHERE run_id = ? ORDER BY started_at, rowid').all(runId) as {
    role: string;
    label: string | null;
    status: string;
    retries: number;
    result: string | null;
  }[];
  const tools = db.prepare('SELECT name, input_json, status, output, is_error FROM tool_calls WHERE run_id = ? ORDER BY started_at, rowid').all(runId) as ToolRow[];
  const questions = db.prepare('SELECT COUNT(*) AS asked, COUNT(answer) AS answered FROM questions WHERE run_id = ?').get(runId) as RunSignals['questions'];
  const recordedFiles = (db.prepare('SELECT path FROM run_files WHERE run_id = ? ORDER BY path').all(runId) as { path: string }[]).map((r) => r.path);

  const tests = tools
    .filter((t) => t.name === 'bash' && TEST_COMMAND.test(inputField(t, 'command') ?? ''))
    .map((t) => ({ command: clip(inputField(t, 'command') ?? '', 200), passed: testResult(t) }));
  const editedFiles = tools
    .filter((t) => (t.name === 'edit_file' || t.name === 'write_file') && t.status === 'completed' && !t.is_error)
    .map((t) => inputField(t, 'path'))
    .filter((p): p is string => p !== undefined);
  const reviewVerdicts = agents
    .filter((a) => a.role === 'reviewer' || /^review/.test(a.label ?? ''))
    .map((a) => {
      const approved = [...(a.result ?? '').matchAll(REVIEW_APPROVED)].at(-1)?.[1];
      return a.status !== 'completed' || approved === undefined ? 'failed' : approved === 'true' ? 'approved' : 'rejected';
    });
  return {
    status: run.status,
    error: run.error ?? undefined,
    pattern: run.pattern ?? decisions.at(-1)?.pattern ?? null,
    durationMs: (run.finished_at ?? now()) - run.started_at,
    costUsd: run.cost_usd,
    tokens: runUsage(run),
    decisions: decisions.length,
    revisions: decisions.filter((d) => d.kind === 'revision').length,
    fallbackCause: decisions.find((d) => d.kind === 'fallback')?.fallback_cause ?? undefined,
    agentCalls: agents.length,
    agentsFailed: agents.filter((a) => a.status === 'failed').length,
    retries: agents.reduce((n, a) => n + a.retries, 0),
    toolCalls: tools.length,
    toolErrors: tools.filter((t) => t.is_error).length,
    toolsDenied: tools.filter((t) => t.status === 'denied').length,
    tests: tests.slice(-MAX_TESTS),
    testsPassed: tests.filter((t) => t.passed !== null).at(-1)?.passed ?? null,
    filesChanged: [...new Set(recordedFiles.length ? recordedFiles : editedFiles)].slice(0, MAX_FILES),
    cancellations: agents.filter((a) => a.status === 'cancelled').length + tools.filter((t) => t.status === 'cancelled').length,
    questions,
    reviewVerdicts,
  };
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
  const decisions = db.prepare('SELECT kind, pattern, decision_json FROM decisions WHERE run_id = ? ORDER BY seq').all(runId) as {
    kind: string;
    pattern: string;
    decision_json: string;
  }[];
  const plan = decisions.map((d) => {
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
    // Re-analysing replaces the row; its search entry goes with it (search_docs_del trigger).
    db.prepare("DELETE FROM search_docs WHERE kind = 'analysis' AND ref = ?").run(runId);
    db.prepare('DELETE FROM analyses WHERE run_id = ?').run(runId);
    db.prepare(
      `INSERT INTO analyses (run_id, outcome, summary, signals_json, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId,
      judged.outcome,
      note ? `${judged.summary} (${note})` : judged.summary,
      JSON.stringify(note ? { ...signals, note } : signals),
      args.model,
      reply.usage.inputTokens,
      reply.usage.outputTokens,
      reply.usage.cacheReadTokens,
      reply.usage.cacheWriteTokens,
      reply.costUsd,
      now(),
    );
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

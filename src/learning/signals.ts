/** What the store says happened in a run, measured: the post-run analysis's evidence. */
import type { RunStatus } from '../core/events.js';
import { clip } from '../core/text.js';
import type { Usage } from '../core/usage.js';
import { now, type Db } from '../store/db.js';
import { runDecisions } from '../store/decisions.js';
import { runFacts, type ToolFact } from '../store/run-facts.js';
import { getRun, runUsage } from '../store/runs.js';

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

const TEST_COMMAND =
  /\b(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?test|npx\s+(?:vitest|jest|mocha)|vitest|jest|mocha|pytest|py\.test|python3?\s+-m\s+(?:pytest|unittest)|go\s+test|cargo\s+(?:test|nextest)|make\s+(?:test|check)|mvn\s+(?:test|verify)|gradlew?\s+test|dotnet\s+test|rspec|phpunit|ctest|mix\s+test|deno\s+test)\b/;
/** The bash tool reports its exit status in its output ("exit 1", "exit code: 0"); the last one is the command's. */
const EXIT_CODE = /\bexit(?:\s+code)?[:=\s]+(-?\d+)/gi;
/** The review-loop reviewer ends with {"approved": true|false, ...}. */
const REVIEW_APPROVED = /"approved"\s*:\s*(true|false)/g;
const MAX_TESTS = 10;
const MAX_FILES = 50;

function inputField(row: ToolFact, field: string): string | undefined {
  try {
    const value = (JSON.parse(row.input_json) as Record<string, unknown> | null)?.[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function testResult(row: ToolFact): boolean | null {
  if (row.status !== 'completed' && row.status !== 'failed') return null;
  const code = [...(row.output ?? '').matchAll(EXIT_CODE)].at(-1)?.[1];
  return code !== undefined ? Number(code) === 0 : !row.is_error;
}

/** What the store says happened in a run. Throws only for an unknown run. */
export function collectSignals(db: Db, runId: string): RunSignals {
  const run = getRun(db, runId);
  if (!run) throw new Error(`no run ${runId}`);
  const decisions = runDecisions(db, runId);
  const { agents, tools, questions, files: recordedFiles } = runFacts(db, runId);
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

/** Everything recorded about one run (`baton show`, the report's timeline), and a thread's header. */
import type { Db } from '../db.js';
import { getRunSummary, type RunSummary } from './history.js';
import { tokenColumns, type Spend } from './scope.js';

export interface DecisionView extends Spend {
  id: string;
  seq: number;
  kind: 'initial' | 'revision' | 'fallback';
  pattern: string;
  decisionJson: string;
  reasoning: string;
  confidence: number | null;
  fallbackCause: string | null;
  model: string | null;
  durationMs: number;
  createdAt: number;
}

export interface AgentCallView extends Spend {
  id: string;
  decisionId: string | null;
  role: string;
  label: string | null;
  model: string;
  instructions: string;
  status: string;
  turns: number;
  retries: number;
  result: string | null;
  error: string | null;
  /** Each turn's stop reason, comma-separated. */
  stopReasons: string;
  /** The stored conversation (thinking is shown from it). */
  messagesJson: string | null;
  /** The agent file it ran as, and the sha256 of that file's text. */
  agentFile: string | null;
  agentFileHash: string | null;
  startedAt: number;
  finishedAt: number | null;
}

export interface ToolCallView {
  id: string;
  agentCallId: string;
  name: string;
  inputJson: string;
  status: string;
  permission: string | null;
  output: string | null;
  isError: number;
  durationMs: number | null;
  startedAt: number;
  finishedAt: number | null;
  /** The unified diff of a file change, as it ran (edit_file, write_file); null for other calls. */
  diff: string | null;
}

export interface QuestionView {
  id: string;
  agentCallId: string | null;
  question: string;
  optionsJson: string | null;
  answer: string | null;
  askedAt: number;
  answeredAt: number | null;
}

export interface PlanStepView {
  idx: number;
  title: string;
  instructions: string;
  paramsJson: string;
  status: string;
  agentCallId: string | null;
  output: string | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface AnalysisView extends Spend {
  outcome: string;
  summary: string;
  signalsJson: string;
  model: string | null;
  createdAt: number;
}

export interface LessonView {
  id: number;
  pattern: string | null;
  text: string;
  weight: number;
  uses: number;
  runId: string | null;
  createdAt: number;
}

export interface FeedbackView {
  verdict: 'good' | 'bad';
  note: string | null;
  createdAt: number;
}

export interface RunView {
  summary: RunSummary;
  model: string;
  orchestratorModel: string | null;
  permissionMode: string;
  result: string | null;
  /** The playbook whose steps the run carried out: id, file and sha256 of its text. */
  playbook: string | null;
  playbookFile: string | null;
  playbookHash: string | null;
  decisions: DecisionView[];
  agentCalls: AgentCallView[];
  toolCalls: ToolCallView[];
  questions: QuestionView[];
  planSteps: PlanStepView[];
  analysis: AnalysisView | undefined;
  lessonsProduced: LessonView[];
  lessonsUsed: LessonView[];
  feedback: FeedbackView[];
}

const lessonColumns = 'l.id, l.pattern, l.text, l.weight, l.uses, l.run_id AS runId, l.created_at AS createdAt';

/** Everything recorded about one run: its OrchestrationContext, outcome, lessons and feedback. */
export function getRunView(db: Db, runId: string): RunView | undefined {
  const summary = getRunSummary(db, runId);
  if (!summary) return undefined;
  const run = db
    .prepare(
      `SELECT model, orchestrator_model AS orchestratorModel, permission_mode AS permissionMode, result,
         playbook, playbook_file AS playbookFile, playbook_hash AS playbookHash FROM runs WHERE id = ?`,
    )
    .get(runId) as Pick<RunView, 'model' | 'orchestratorModel' | 'permissionMode' | 'result' | 'playbook' | 'playbookFile' | 'playbookHash'>;
  const all = <T>(sql: string) => db.prepare(sql).all(runId) as T[];
  return {
    summary,
    ...run,
    decisions: all<DecisionView>(
      `SELECT id, seq, kind, pattern, decision_json AS decisionJson, reasoning, confidence, fallback_cause AS fallbackCause,
         model, ${tokenColumns}, duration_ms AS durationMs, created_at AS createdAt
       FROM decisions WHERE run_id = ? ORDER BY seq`,
    ),
    agentCalls: all<AgentCallView>(
      `SELECT id, decision_id AS decisionId, role, label, model, instructions, status, turns, retries, result, error,
         stop_reasons AS stopReasons, messages_json AS messagesJson, agent_file AS agentFile, agent_file_hash AS agentFileHash, ${tokenColumns}, started_at AS startedAt, finished_at AS finishedAt
       FROM agent_calls WHERE run_id = ? ORDER BY started_at, id`,
    ),
    toolCalls: all<ToolCallView>(
      `SELECT id, agent_call_id AS agentCallId, name, input_json AS inputJson, status, permission, output, is_error AS isError,
         duration_ms AS durationMs, started_at AS startedAt, finished_at AS finishedAt, diff
       FROM tool_calls WHERE run_id = ? ORDER BY started_at, rowid`,
    ),
    questions: all<QuestionView>(
      `SELECT id, agent_call_id AS agentCallId, question, options_json AS optionsJson, answer, asked_at AS askedAt,
         answered_at AS answeredAt
       FROM questions WHERE run_id = ? ORDER BY asked_at, id`,
    ),
    planSteps: all<PlanStepView>(
      `SELECT idx, title, instructions, params_json AS paramsJson, status, agent_call_id AS agentCallId, output,
         started_at AS startedAt, finished_at AS finishedAt
       FROM plan_steps WHERE run_id = ? ORDER BY idx`,
    ),
    analysis: db
      .prepare(
        `SELECT outcome, summary, signals_json AS signalsJson, model, ${tokenColumns}, created_at AS createdAt
         FROM analyses WHERE run_id = ?`,
      )
      .get(runId) as AnalysisView | undefined,
    lessonsProduced: all<LessonView>(`SELECT ${lessonColumns} FROM lessons l WHERE l.run_id = ? ORDER BY l.id`),
    lessonsUsed: all<LessonView>(`SELECT ${lessonColumns} FROM lesson_uses u JOIN lessons l ON l.id = u.lesson_id WHERE u.run_id = ? ORDER BY l.id`),
    feedback: all<FeedbackView>('SELECT verdict, note, created_at AS createdAt FROM feedback WHERE run_id = ? ORDER BY created_at, id'),
  };
}

/** One file change of a run, as the tool made it. */
export interface RunDiff {
  toolCallId: string;
  name: string;
  role: string;
  label: string | null;
  diff: string;
  startedAt: number;
}

/**
 * What a run changed: each edit's stored diff in the order they ran, and every file the run's
 * checkpoint saw change (commands such as `sed` change files without a diff of their own).
 */
export function getRunDiffs(db: Db, runId: string): { diffs: RunDiff[]; files: { path: string; change: string }[] } {
  const diffs = db
    .prepare(
      `SELECT t.id AS toolCallId, t.name, a.role, a.label, t.diff, t.started_at AS startedAt
       FROM tool_calls t JOIN agent_calls a ON a.id = t.agent_call_id
       WHERE t.run_id = ? AND t.diff IS NOT NULL ORDER BY t.started_at, t.rowid`,
    )
    .all(runId) as RunDiff[];
  const files = db.prepare('SELECT path, change FROM run_files WHERE run_id = ? ORDER BY path').all(runId) as { path: string; change: string }[];
  return { diffs, files };
}

export interface ThreadView {
  id: string;
  project: string;
  title: string;
  summary: string | null;
  createdAt: number;
  updatedAt: number;
}

export function getThreadView(db: Db, threadId: string): ThreadView | undefined {
  return db.prepare('SELECT id, project, title, summary, created_at AS createdAt, updated_at AS updatedAt FROM threads WHERE id = ?').get(threadId) as
    | ThreadView
    | undefined;
}

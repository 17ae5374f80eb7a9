/**
 * The journal: everything a run writes about itself as it happens (the run, its decisions, its
 * agent calls and their turns, tool calls, questions, plan steps, the thread's messages), as one
 * interface the orchestrator and the patterns call. It is the store's functions bound to one
 * database: a run's state is on disk before anything that depends on it is shown.
 */
import type { RunStatus, AgentCallStatus } from '../core/events.js';
import type { RunOptions } from '../core/run.js';
import type { Usage } from '../core/usage.js';
import * as agentCalls from './agent-calls.js';
import type { Db } from './db.js';
import * as decisions from './decisions.js';
import * as planSteps from './plan-steps.js';
import * as questions from './questions.js';
import * as runs from './runs.js';
import * as threads from './threads.js';

type Bound<F> = F extends (db: Db, ...args: infer A) => infer R ? (...args: A) => R : never;

export interface Journal {
  readonly db: Db;
  // runs
  createRun(args: { threadId: string; project: string; prompt: string; options: RunOptions }): runs.RunRow;
  getRun(runId: string): runs.RunRow | undefined;
  claimRun(runId: string): void;
  setRunPattern(runId: string, pattern: string): void;
  setRunPlaybook(runId: string, playbook: { id: string; path: string; hash: string }): void;
  setRunStatus(runId: string, status: RunStatus): void;
  addRunUsage(runId: string, usage: Usage, costUsd: number): void;
  finishRun(runId: string, status: RunStatus, result: string | undefined, error: string | undefined): void;
  waitingRunOfThread(threadId: string): Pick<runs.RunRow, 'id' | 'prompt'> | undefined;
  appendMessage(threadId: string, runId: string | null, role: 'user' | 'assistant', content: string): number;
  // decisions
  insertDecision(row: decisions.NewDecision): { id: string; seq: number };
  runDecisions(runId: string): decisions.DecisionRow[];
  revisionCount(runId: string): number;
  // agent calls and their turns
  insertAgentCall: Bound<typeof agentCalls.insertAgentCall>;
  agentCallByLabel(runId: string, label: string): agentCalls.AgentCallRow | undefined;
  setAgentStatus(id: string, status: AgentCallStatus, fields?: { result?: string | undefined; error?: string | undefined }): void;
  recordAgentTurn(id: string, usage: Usage, costUsd: number, retries: number, stopReason: string, messagesJson: string): void;
  saveAgentMessages(id: string, messagesJson: string): void;
  // tool calls
  insertToolCall: Bound<typeof agentCalls.insertToolCall>;
  setToolCallRunning(id: string, permission: string): void;
  finishToolCall: Bound<typeof agentCalls.finishToolCall>;
  // questions
  insertQuestion: Bound<typeof questions.insertQuestion>;
  pendingQuestion(runId: string): questions.QuestionRow | undefined;
  questionByToolCall(toolCallId: string): questions.QuestionRow | undefined;
  runQuestions(runId: string): questions.QuestionRow[];
  answerQuestion(id: string, answer: string): void;
  // plan steps
  planSteps(runId: string): planSteps.PlanStepRow[];
  insertPlanSteps: Bound<typeof planSteps.insertPlanSteps>;
  updatePlanStep: Bound<typeof planSteps.updatePlanStep>;
}

/** The journal of one database. Cheap: it binds functions, it prepares nothing. */
export function openJournal(db: Db): Journal {
  return {
    db,
    createRun: (args) => runs.createRun(db, args),
    getRun: (runId) => runs.getRun(db, runId),
    claimRun: (runId) => runs.claimRun(db, runId),
    setRunPattern: (runId, pattern) => runs.setRunPattern(db, runId, pattern),
    setRunPlaybook: (runId, playbook) => runs.setRunPlaybook(db, runId, playbook),
    setRunStatus: (runId, status) => runs.setRunStatus(db, runId, status),
    addRunUsage: (runId, usage, costUsd) => runs.addRunUsage(db, runId, usage, costUsd),
    finishRun: (runId, status, result, error) => runs.finishRun(db, runId, status, result, error),
    waitingRunOfThread: (threadId) => runs.waitingRunOfThread(db, threadId),
    appendMessage: (threadId, runId, role, content) => threads.appendMessage(db, threadId, runId, role, content),
    insertDecision: (row) => decisions.insertDecision(db, row),
    runDecisions: (runId) => decisions.runDecisions(db, runId),
    revisionCount: (runId) => decisions.revisionCount(db, runId),
    insertAgentCall: (row) => agentCalls.insertAgentCall(db, row),
    agentCallByLabel: (runId, label) => agentCalls.agentCallByLabel(db, runId, label),
    setAgentStatus: (id, status, fields) => agentCalls.setAgentStatus(db, id, status, fields),
    recordAgentTurn: (id, usage, costUsd, retries, stopReason, messagesJson) =>
      agentCalls.recordAgentTurn(db, id, usage, costUsd, retries, stopReason, messagesJson),
    saveAgentMessages: (id, messagesJson) => agentCalls.saveAgentMessages(db, id, messagesJson),
    insertToolCall: (row) => agentCalls.insertToolCall(db, row),
    setToolCallRunning: (id, permission) => agentCalls.setToolCallRunning(db, id, permission),
    finishToolCall: (id, fields) => agentCalls.finishToolCall(db, id, fields),
    insertQuestion: (q) => questions.insertQuestion(db, q),
    pendingQuestion: (runId) => questions.pendingQuestion(db, runId),
    questionByToolCall: (toolCallId) => questions.questionByToolCall(db, toolCallId),
    runQuestions: (runId) => questions.runQuestions(db, runId),
    answerQuestion: (id, answer) => questions.answerQuestion(db, id, answer),
    planSteps: (runId) => planSteps.planSteps(db, runId),
    insertPlanSteps: (runId, steps) => planSteps.insertPlanSteps(db, runId, steps),
    updatePlanStep: (runId, idx, fields) => planSteps.updatePlanStep(db, runId, idx, fields),
  };
}

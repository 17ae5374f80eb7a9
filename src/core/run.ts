import type { BatonEvent, PermissionAnswer, RunStatus } from './events.js';
import type { Usage } from './usage.js';

export type PermissionMode = 'ask' | 'accept-edits' | 'read-only' | 'bypass';
export const permissionModes: readonly PermissionMode[] = ['ask', 'accept-edits', 'read-only', 'bypass'];

/** The result a tool call gets when the process died while it ran (stored on its row, sent to the model on resume). */
export const INTERRUPTED_TOOL_RESULT = 'interrupted: the process stopped while this ran; its effect is unknown — check before repeating it';

export interface PermissionRequest {
  runId: string;
  toolCallId: string;
  tool: string;
  /** One line naming the call (the tool's title), e.g. `bash: npm test` or `edit src/a.ts`. */
  title: string;
  /** What it would do (the tool's preview): a unified diff for a file change, the command for bash. */
  preview?: string | undefined;
  /** The rule an "always" answer stores, e.g. `bash:npm test`. */
  rule: string;
}

export interface QuestionRequest {
  runId: string;
  questionId: string;
  question: string;
  options?: string[] | undefined;
}

/**
 * How a front end takes part in a run. Print mode passes only `emit`; the interactive session
 * also answers permissions and questions. Without `askPermission`, anything that would ask is
 * denied; without `askUser`, a question leaves the run `waiting_user` and `run()` returns.
 */
export interface RunHooks {
  emit: (event: BatonEvent) => void;
  askPermission?: (req: PermissionRequest) => Promise<PermissionAnswer>;
  askUser?: (req: QuestionRequest) => Promise<string>;
}

export interface RunOptions {
  model: string;
  orchestratorModel: string;
  permissionMode: PermissionMode;
  maxBudgetUsd?: number | undefined;
  autoCommit?: boolean | undefined;
  /** Context windows in tokens by model id, overriding the built-in table. */
  contextWindows?: Record<string, number> | undefined;
}

export interface RunOutcome {
  runId: string;
  threadId: string;
  status: RunStatus;
  result?: string | undefined;
  error?: string | undefined;
  /** Set when status is waiting_user. */
  question?: { id: string; question: string; options?: string[] | undefined } | undefined;
  pattern?: string | undefined;
  usage: Usage;
  costUsd: number;
  durationMs: number;
}

/**
 * The typed event stream that runs from the core outwards. The ink UI, print mode
 * (`--output-format stream-json`) and the store's recorder consume the same events;
 * the core never imports a consumer.
 */
import type { Usage } from './usage.js';

export type RunStatus = 'running' | 'waiting_user' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
export type AgentCallStatus = 'ready' | 'executing' | 'completed' | 'failed' | 'cancelled';
export type PermissionAnswer = 'once' | 'always' | 'deny';

export type BatonEvent =
  | { type: 'run.started'; runId: string; threadId: string; prompt: string; resumed: boolean }
  | {
      type: 'decision.made';
      runId: string;
      decisionId: string;
      kind: 'initial' | 'revision' | 'fallback';
      pattern: string;
      reasoning: string;
      agents: { role: string; model?: string | undefined; instructions: string }[];
      confidence: number;
      fallbackCause?: string | undefined;
    }
  | { type: 'agent.started'; runId: string; agentCallId: string; role: string; model: string; label?: string | undefined }
  | { type: 'text.delta'; runId: string; agentCallId: string; text: string }
  /** The model's extended thinking as it streams (shown dimmed, folded to a line); none of it is the answer. */
  | { type: 'thinking.delta'; runId: string; agentCallId?: string | undefined; text: string }
  | {
      type: 'llm.retry';
      runId: string;
      agentCallId: string;
      /** The attempt about to start (2 = the first retry). */
      attempt: number;
      delayMs: number;
      reason: string;
      /** Text of the failed attempt was already streamed: discard it, the answer restarts. */
      resetText?: boolean | undefined;
    }
  | {
      type: 'llm.usage';
      runId: string;
      agentCallId: string;
      usage: Usage;
      costUsd: number;
      /** Wall time of the request, retries included (telemetry's model-request span). */
      durationMs?: number | undefined;
      /** How the model's turn ended; with `refusal` the turn's streamed text is withdrawn (not the answer). */
      stopReason?: string | null | undefined;
    }
  /** Old tool results of an agent's conversation were replaced by stubs to stay inside the context window. */
  | { type: 'context.cleared'; runId: string; agentCallId: string; tokensBefore: number; tokensAfter: number; cleared: number }
  | {
      type: 'tool.requested';
      runId: string;
      agentCallId: string;
      toolCallId: string;
      name: string;
      input: unknown;
      /** The tool's one line for the call, e.g. `edit src/a.ts`. */
      title: string;
      /** What the call acts on (shown after the tool's name): the path, the command. */
      subject: string;
    }
  | {
      type: 'permission.needed';
      runId: string;
      agentCallId: string;
      toolCallId: string;
      name: string;
      title: string;
      /** A unified diff for a file change, the command for bash. */
      preview?: string | undefined;
    }
  | { type: 'permission.answered'; runId: string; toolCallId: string; answer: PermissionAnswer; rule?: string | undefined }
  | {
      type: 'tool.finished';
      runId: string;
      agentCallId: string;
      toolCallId: string;
      name: string;
      isError: boolean;
      /** What went back to the model (capped); the full output is in the store. */
      output: string;
      durationMs: number;
      /** Short human summary, e.g. "+3 -1 src/a.ts" or "exit 0". */
      summary?: string | undefined;
    }
  | {
      type: 'agent.finished';
      runId: string;
      agentCallId: string;
      role: string;
      status: AgentCallStatus;
      result?: string | undefined;
      error?: string | undefined;
      usage: Usage;
      costUsd: number;
    }
  | { type: 'question.asked'; runId: string; questionId: string; question: string; options?: string[] | undefined }
  | { type: 'question.answered'; runId: string; questionId: string; answer: string }
  | {
      type: 'run.finished';
      runId: string;
      threadId: string;
      status: RunStatus;
      result?: string | undefined;
      error?: string | undefined;
      usage: Usage;
      costUsd: number;
      durationMs: number;
    }
  | { type: 'analysis.done'; runId: string; outcome: string; summary: string; lessons: string[] }
  | { type: 'notice'; runId?: string | undefined; level: 'info' | 'warn'; message: string };

export type BatonEventType = BatonEvent['type'];
export type EventOf<T extends BatonEventType> = Extract<BatonEvent, { type: T }>;
export type EventSink = (event: BatonEvent) => void;

import type Anthropic from '@anthropic-ai/sdk';
import type { Usage } from '../core/usage.js';

export type MessageParam = Anthropic.MessageParam;
export type ContentBlock = Anthropic.ContentBlock;
export type ToolDefinition = Anthropic.Tool;
export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface RetryInfo {
  /** The attempt about to start (2 for the first retry). */
  attempt: number;
  delayMs: number;
  /** Why the previous attempt failed, e.g. "rate limited (429)". */
  reason: string;
  /**
   * True when the failed attempt had already streamed text through onText: the caller must discard
   * what it received for this call, because the next attempt streams the answer again from the start.
   */
  resetText?: boolean;
}

/** One Messages API call, streamed. The client places the prompt-cache breakpoints. */
export interface LlmRequest {
  model: string;
  system: string;
  tools?: ToolDefinition[];
  messages: MessageParam[];
  maxTokens: number;
  effort?: Effort;
  toolChoice?: Anthropic.ToolChoice;
  /** JSON Schema for structured output (output_config.format). */
  jsonSchema?: Record<string, unknown>;
  /**
   * Cache the conversation turns too (default). One-shot calls whose user turn is never sent again
   * pass false: only tools and system are cached, and the turn is not billed as a cache write.
   */
  cacheTurns?: boolean;
  /** Extended thinking (see thinking.ts for which model takes which kind); omitted: the model's default. */
  thinking?: Anthropic.ThinkingConfigParam;
  signal?: AbortSignal;
  onText?: (delta: string) => void;
  /** Thinking text as it streams (never part of the answer). */
  onThinking?: (delta: string) => void;
  onRetry?: (info: RetryInfo) => void;
}

export interface LlmResult {
  content: ContentBlock[];
  stopReason: string | null;
  /** Set with stop_reason `refusal`: the policy category and the model's explanation. */
  stopDetails?: { category: string | null; explanation: string | null } | undefined;
  usage: Usage;
  costUsd: number;
  /** True when the model has no price row and costUsd came from the conservative fallback (warn once). */
  costEstimated?: boolean;
  retries: number;
  model: string;
  durationMs: number;
}

export interface LlmClient {
  call(req: LlmRequest): Promise<LlmResult>;
  /** Loads the SDK now (synchronously), e.g. while child processes run, instead of on the first call. */
  warm?(): void;
}

export type LlmErrorKind =
  | 'auth'
  | 'permission'
  | 'bad_request'
  | 'not_found'
  | 'too_large'
  | 'rate_limited'
  | 'overloaded'
  | 'server'
  | 'connection'
  | 'aborted';

/** An API failure after our retry policy gave up (or a non-retryable one): `message` is one line for the user. */
export class LlmError extends Error {
  /**
   * What the call's failed attempts cost (input the API processed before the failure or the
   * cancel; see spend.ts). Callers add it to the run's usage and budget.
   */
  usage?: Usage;
  costUsd?: number;
  constructor(
    message: string,
    readonly kind: LlmErrorKind,
    readonly status?: number,
    readonly attempts = 1,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

/**
 * Attribute names: the OpenTelemetry GenAI semantic conventions where one fits, `baton.*` for the
 * rest. Copied rather than imported (@opentelemetry/semantic-conventions marks the GenAI ones
 * incubating and ships them from a separate entry point).
 */
import type { Attributes } from '@opentelemetry/api';
import { totalInput, type Usage } from '../core/usage.js';

export const GEN_AI = {
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  /** The older name of gen_ai.provider.name, still read by several backends. */
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheWriteTokens: 'gen_ai.usage.cache_creation.input_tokens',
  finishReasons: 'gen_ai.response.finish_reasons',
  agentName: 'gen_ai.agent.name',
  agentId: 'gen_ai.agent.id',
  conversationId: 'gen_ai.conversation.id',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolArguments: 'gen_ai.tool.call.arguments',
  toolResult: 'gen_ai.tool.call.result',
} as const;

export const BATON = {
  runId: 'baton.run.id',
  runStatus: 'baton.run.status',
  resumed: 'baton.run.resumed',
  prompt: 'baton.prompt',
  pattern: 'baton.pattern',
  outcome: 'baton.outcome',
  costUsd: 'baton.cost_usd',
  durationMs: 'baton.duration_ms',
  decisionId: 'baton.decision.id',
  decisionKind: 'baton.decision.kind',
  confidence: 'baton.decision.confidence',
  fallbackCause: 'baton.decision.fallback_cause',
  roles: 'baton.decision.roles',
  reasoning: 'baton.decision.reasoning',
  instructions: 'baton.agent.instructions',
  label: 'baton.agent.label',
  agentStatus: 'baton.agent.status',
  turns: 'baton.agent.turns',
  retries: 'baton.agent.retries',
  result: 'baton.result',
  toolIsError: 'baton.tool.is_error',
  toolSummary: 'baton.tool.summary',
  permission: 'baton.permission.answer',
  lessons: 'baton.analysis.lessons',
  summary: 'baton.analysis.summary',
} as const;

export const PROVIDER = 'anthropic';

/** The GenAI usage attributes; input counts every input token, cached ones included (as the conventions ask). */
export function usageAttributes(u: Usage): Attributes {
  return {
    [GEN_AI.inputTokens]: totalInput(u),
    [GEN_AI.outputTokens]: u.outputTokens,
    [GEN_AI.cacheReadTokens]: u.cacheReadTokens,
    [GEN_AI.cacheWriteTokens]: u.cacheWriteTokens,
  };
}

export const modelAttributes = (model: string | null | undefined): Attributes =>
  model ? { [GEN_AI.provider]: PROVIDER, [GEN_AI.system]: PROVIDER, [GEN_AI.requestModel]: model } : {};

/** Content (prompts, instructions, tool inputs and outputs) only when the user asked for it. */
export function contentAttributes(on: boolean, attrs: Record<string, string | null | undefined>): Attributes {
  if (!on) return {};
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/**
 * What a failed or cancelled attempt cost. The API bills the input it processed even when the
 * answer never arrives, so leaving such attempts out would make cost and `--max-budget-usd` read low.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { emptyUsage, type Usage } from '../core/usage.js';
import type { Failure } from './errors.js';
import type { Watchdog } from './stall.js';

/** What one attempt received before it ended. */
export interface AttemptTrace {
  /** onText was called: the caller must drop the text if the call is retried. */
  text: boolean;
  /** Characters of streamed text, tool input and thinking (an estimate of output when no usage came). */
  outputChars: number;
  /** The usage in message_start: the input the API processed. */
  started?: Anthropic.Usage;
  /** The latest message_delta usage (cumulative output tokens). */
  outputTokens?: number;
  watchdog?: Watchdog;
}

/** Characters per token for estimates: the usual rule of thumb for English text and code. */
const CHARS_PER_TOKEN = 4;
const estimateTokens = (chars: number): number => Math.ceil(chars / CHARS_PER_TOKEN);

/**
 * The usage of a failed attempt: from message_start when it arrived; else, when the request
 * reached the API (cancelled, stalled, or the response had begun), estimated as the serialized
 * request's characters / 4 (counted as uncached input). A request the API answered with an error
 * status, or that never connected, is not billed and counts nothing.
 */
export function failedAttemptUsage(trace: AttemptTrace, failure: Failure, params: object): Usage {
  const output = Math.max(trace.outputTokens ?? trace.started?.output_tokens ?? 0, estimateTokens(trace.outputChars));
  if (trace.started) {
    return {
      inputTokens: trace.started.input_tokens,
      outputTokens: output,
      cacheReadTokens: trace.started.cache_read_input_tokens ?? 0,
      cacheWriteTokens: trace.started.cache_creation_input_tokens ?? 0,
    };
  }
  if (failure.status !== undefined) return emptyUsage();
  const reached = failure.kind === 'aborted' || trace.watchdog?.stalled !== undefined || trace.watchdog?.headers === true;
  if (!reached) return emptyUsage();
  return { ...emptyUsage(), inputTokens: estimateTokens(JSON.stringify(params).length), outputTokens: output };
}

/**
 * Maps what the SDK throws to our retry decision and to one-line LlmErrors for the user.
 * Classes are matched by name, not instanceof: the SDK is imported lazily and must not be loaded
 * just to classify an error.
 */
import { oneLine } from '../core/text.js';
import { LlmError, type LlmErrorKind } from './types.js';

/** The API's explanation and network causes are cut to this many characters in messages. */
const DETAIL_MAX = 200;

export interface Failure {
  kind: LlmErrorKind;
  status?: number;
  retryable: boolean;
  /** Short cause for retry notices and final messages, e.g. "rate limited (429)". */
  reason: string;
  /** The API's own explanation, for non-retryable errors. */
  detail?: string;
  /** From retry-after-ms, else retry-after. */
  retryAfterMs?: number;
}

const KEY_HINT = 'set ANTHROPIC_API_KEY to a valid key (https://console.anthropic.com)';

/** SDK error shape (APIError and its subclasses); see @anthropic-ai/sdk core/error. */
interface SdkError extends Error {
  status?: number;
  type?: string | null;
  apiMessage?: string | null;
  headers?: Headers;
}

const BY_STATUS: Record<number, Omit<Failure, 'status'>> = {
  400: { kind: 'bad_request', retryable: false, reason: 'bad request (400)' },
  401: { kind: 'auth', retryable: false, reason: 'authentication failed (401)' },
  403: { kind: 'permission', retryable: false, reason: 'permission denied (403)' },
  404: { kind: 'not_found', retryable: false, reason: 'not found (404)' },
  408: { kind: 'server', retryable: true, reason: 'request timeout (408)' },
  409: { kind: 'server', retryable: true, reason: 'conflict (409)' },
  413: { kind: 'too_large', retryable: false, reason: 'request too large (413)' },
  429: { kind: 'rate_limited', retryable: true, reason: 'rate limited (429)' },
  529: { kind: 'overloaded', retryable: true, reason: 'overloaded (529)' },
};

/** An error event inside a 200 stream carries only the error type. */
const BY_STREAM_ERROR_TYPE: Record<string, Pick<Failure, 'kind' | 'retryable'>> = {
  overloaded_error: { kind: 'overloaded', retryable: true },
  api_error: { kind: 'server', retryable: true },
  rate_limit_error: { kind: 'rate_limited', retryable: true },
  timeout_error: { kind: 'server', retryable: true },
};

/**
 * What went wrong, or undefined when `err` is not an API failure (a bug: the caller rethrows it).
 * Anything after the caller's signal fired counts as an abort.
 */
export function classifyFailure(err: unknown, signal?: AbortSignal): Failure | undefined {
  if (signal?.aborted || (err instanceof Error && err.name === 'APIUserAbortError')) {
    return { kind: 'aborted', retryable: false, reason: 'cancelled' };
  }
  if (!(err instanceof Error)) return undefined;
  // The stall watchdog cut the attempt (stall.ts): worth another try.
  if (err.name === 'StallError') return { kind: 'connection', retryable: true, reason: err.message };
  const e = err as SdkError;
  const detail = oneLine(e.apiMessage ?? '', DETAIL_MAX);
  if (e.name === 'APIConnectionTimeoutError') return { kind: 'connection', retryable: true, reason: 'request timed out' };
  if (e.name === 'APIConnectionError') return { kind: 'connection', retryable: true, reason: `connection failed (${causeOf(e)})` };
  if (typeof e.status === 'number') {
    const known =
      BY_STATUS[e.status] ??
      (e.status >= 500
        ? { kind: 'server', retryable: true, reason: `server error (${e.status})` }
        : { kind: 'bad_request', retryable: false, reason: `API error (${e.status})` });
    return { ...known, status: e.status, detail, retryAfterMs: retryAfter(e.headers) };
  }
  if (e.name === 'APIError') {
    const type = e.type ?? 'unknown_error';
    return { kind: 'bad_request', retryable: false, ...BY_STREAM_ERROR_TYPE[type], reason: `${type} mid-stream`, detail };
  }
  // The SDK wraps network failures while reading the body ("terminated") in a plain AnthropicError.
  if (e.name === 'AnthropicError' || e.name === 'Error') {
    if (/Could not resolve authentication method/.test(e.message)) return { kind: 'auth', retryable: false, reason: 'no API key' };
    if (e.name === 'AnthropicError') return { kind: 'connection', retryable: true, reason: `connection dropped mid-stream (${causeOf(e)})` };
  }
  return undefined;
}

/** The one-line error the user sees once retries are exhausted (or not allowed). */
export function toLlmError(f: Failure, attempts: number): LlmError {
  return new LlmError(messageFor(f, attempts), f.kind, f.status, attempts);
}

function messageFor(f: Failure, attempts: number): string {
  const why = f.detail ? `: ${f.detail}` : '';
  const gaveUp = `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  switch (f.kind) {
    case 'aborted':
      return 'request cancelled';
    case 'auth':
      return f.status ? `authentication failed (401): ${KEY_HINT}` : `no API key: ${KEY_HINT}`;
    case 'not_found':
      return `${f.reason}${why} — check the model id (--model)`;
    case 'too_large':
      return `${f.reason}${why} — shorten the conversation or the files it includes`;
    case 'rate_limited':
      return `API rate limit (${f.status ?? 'mid-stream'}) — ${gaveUp}`;
    case 'overloaded':
      return `API overloaded (${f.status ?? 'mid-stream'}) — ${gaveUp}`;
    case 'server':
      return `API ${f.reason} — ${gaveUp}`;
    case 'connection':
      return `could not reach the API: ${f.reason} — ${gaveUp}; check the network or ANTHROPIC_BASE_URL`;
    default:
      return `${f.reason}${why}`;
  }
}

function retryAfter(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return Math.max(0, ms);
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function causeOf(e: Error): string {
  let cause: unknown = e.cause;
  let text = e.message;
  // The innermost cause names the network problem (ECONNREFUSED, UND_ERR_SOCKET, ...).
  while (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    text = typeof code === 'string' ? code : cause.message;
    cause = cause.cause;
  }
  return oneLine(text, DETAIL_MAX);
}

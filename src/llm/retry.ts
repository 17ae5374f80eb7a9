/** Backoff for our own retry loop (the SDK's is switched off so every retry is visible). */

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  random: () => number;
}

/**
 * Delay before attempt `failedAttempt + 1`: what the server asked for (retry-after-ms / retry-after),
 * else full jitter, random in [0, min(max, base * 2^(failedAttempt-1))]. Never longer than maxDelayMs,
 * so a huge retry-after cannot freeze the session.
 */
export function retryDelayMs(failedAttempt: number, retryAfterMs: number | undefined, p: RetryPolicy): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, p.maxDelayMs);
  const ceiling = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(p.random() * ceiling);
}

/** Resolves after `ms`, or as soon as `signal` aborts (the caller checks which). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

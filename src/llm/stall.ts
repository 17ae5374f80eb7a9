/**
 * The stall watchdog: a streamed request that gets no response headers, or no bytes of its event
 * stream, for `stallMs` is abandoned (and retried by the client). Activity is seen at the fetch
 * level, so the API's `ping` events (which the SDK drops) count as signs of life.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchActivity } from './http-fetch.js';

export const DEFAULT_STALL_MS = 90_000;

export class Watchdog implements FetchActivity {
  /** Set when the timer fired: what was missing. */
  stalled: 'headers' | 'events' | undefined;
  headers = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly stallMs: number,
    private readonly onStall: () => void,
  ) {}

  /** Something arrived (or the request starts): the silence is measured from now. */
  kick(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = this.headers ? 'events' : 'headers';
      this.onStall();
    }, this.stallMs);
  }

  onHeaders(): void {
    this.headers = true;
    this.kick();
  }

  onData(): void {
    this.kick();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** The retry notice's cause, e.g. "no stream event for 90s (stalled)". */
  describe(): string {
    const what = this.stalled === 'headers' ? 'no response headers' : 'no stream event';
    return `${what} for ${formatSeconds(this.stallMs)} (stalled)`;
  }
}

const formatSeconds = (ms: number): string => (ms >= 10_000 ? `${Math.round(ms / 1000)}s` : `${+(ms / 1000).toFixed(2)}s`);

/** Thrown in place of the SDK's abort error when the watchdog (not the user) cut the request. */
export class StallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StallError';
  }
}

/** The watchdog of the request running in this async context (the SDK's fetch runs inside it and reports to it). */
export const currentWatchdog = new AsyncLocalStorage<Watchdog>();

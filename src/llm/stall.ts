/**
 * The stall watchdog: a streamed request that gets no response headers, or no bytes of its event
 * stream, for `stallMs` is abandoned (and retried by the client). Activity is seen at the fetch
 * level, so the API's `ping` events (which the SDK drops) count as signs of life.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export const DEFAULT_STALL_MS = 90_000;

export class Watchdog {
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

/** The watchdog of the request running in this async context (the SDK's fetch runs inside it). */
export const currentWatchdog = new AsyncLocalStorage<Watchdog>();

/** A fetch for the SDK that reports response headers and every body chunk to the current watchdog. */
export function watchedFetch(base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const dog = currentWatchdog.getStore();
    const res = await base(input, init);
    if (!dog) return res;
    dog.headers = true;
    dog.kick();
    if (!res.body) return res;
    const body = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          dog.kick();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/**
 * Telemetry's entry: cheap to import (no OpenTelemetry at top level). `openTelemetry` returns
 * undefined when telemetry is off; when it is on, the SDK loads in the background while the run
 * starts (events wait in a buffer meanwhile, with their times), so it never delays the prompt.
 */
import type { BatonEvent } from '../core/events.js';
import type { RunHooks } from '../core/run.js';
import type { Db } from '../store/db.js';
import { FLUSH_BOUND_MS, telemetryConfig, type TelemetryConfig } from './config.js';
import type { LoadedTelemetry } from './telemetry.js';

export type CloseResult = { ok: true } | { ok: false; error: string };

export interface Telemetry {
  readonly config: TelemetryConfig;
  /** The same hooks, with every event also recorded. */
  observe(hooks: RunHooks): RunHooks;
  /** The analysis span of a run analysed outside a run's hooks (the detached `baton analyze`). */
  analysisWritten(runId: string): Promise<void>;
  /** Stored runs as traces and metrics, with their original timestamps; how many were found. */
  replay(runIds: readonly string[]): Promise<number>;
  /** Sends the spans recorded so far; the first export error, if any. */
  flush(): Promise<string | undefined>;
  /**
   * Sends what is pending, waiting at most `boundMs` in all. A failure is one notice (through
   * `notice`); it is also returned, for `baton export` to report as its error.
   */
  close(boundMs?: number): Promise<CloseResult>;
}

export interface OpenTelemetryArgs {
  db: Db;
  /** Where the one notice about an unreachable collector (or a bad setting) goes. */
  notice: (message: string) => void;
  env?: NodeJS.ProcessEnv | undefined;
  /** Each export request's timeout (default: the flush bound, so a dead collector is known before exit). */
  exportTimeoutMs?: number | undefined;
}

export function openTelemetry(args: OpenTelemetryArgs): Telemetry | undefined {
  const config = telemetryConfig(args.env);
  if (!config) return undefined;
  if ('error' in config) {
    args.notice(config.error);
    return undefined;
  }
  let failed: string | undefined;
  const ready: Promise<LoadedTelemetry | undefined> = import('./telemetry.js')
    .then(({ loadTelemetry }) => loadTelemetry(config, args))
    .catch((err: unknown) => {
      failed = `telemetry: could not start (${err instanceof Error ? err.message : String(err)}); nothing else is affected`;
      return undefined;
    });
  let loaded: LoadedTelemetry | undefined;
  const buffer: [BatonEvent, Date][] = [];
  void ready.then((t) => {
    loaded = t;
    for (const [e, at] of buffer.splice(0)) t?.record(e, at);
  });
  const must = async () => {
    const t = await ready;
    if (!t) throw new Error(failed ?? 'telemetry is off');
    return t;
  };
  let closing: Promise<CloseResult> | undefined;
  return {
    config,
    observe(hooks) {
      return {
        ...hooks,
        emit: (e) => {
          hooks.emit(e);
          if (loaded) loaded.record(e);
          else buffer.push([e, new Date()]);
        },
      };
    },
    analysisWritten: async (runId) => (await must()).analysisWritten(runId),
    replay: async (runIds) => (await must()).replay(runIds),
    flush: async () => (await must()).flush(),
    close(boundMs = FLUSH_BOUND_MS) {
      closing ??= (async (): Promise<CloseResult> => {
        const deadline = Date.now() + boundMs;
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), boundMs)));
        const t = await Promise.race([ready, late]);
        clearTimeout(timer);
        let result: CloseResult;
        if (t === 'late') result = { ok: false, error: `the OpenTelemetry SDK did not load within ${(boundMs / 1000).toFixed(1)} s` };
        else if (!t) result = { ok: false, error: failed ?? 'telemetry did not start' };
        else result = await t.shutdown(Math.max(0, deadline - Date.now()));
        if (!result.ok)
          args.notice(
            t && t !== 'late'
              ? `telemetry: could not send to ${config.tracesUrl}: ${result.error}; nothing else is affected`
              : (failed ?? `telemetry: ${result.error}`),
          );
        return result;
      })();
      return closing;
    },
  };
}

export { FLUSH_BOUND_MS, telemetryConfig };

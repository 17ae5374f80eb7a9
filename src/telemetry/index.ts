/**
 * Telemetry's entry: cheap to import (no OpenTelemetry at top level). `openTelemetry` returns
 * undefined when telemetry is off, and only when it is on loads the SDK.
 */
import type { RunHooks } from '../core/run.js';
import type { Db } from '../store/db.js';
import { FLUSH_BOUND_MS, telemetryConfig, type TelemetryConfig } from './config.js';

export interface Telemetry {
  readonly config: TelemetryConfig;
  /** The same hooks, with every event also recorded. */
  observe(hooks: RunHooks): RunHooks;
  /** The analysis span of a run analysed in this process outside a run's hooks (the detached `baton analyze`). */
  analysisWritten(runId: string): void;
  /** Stored runs as traces and metrics, with their original timestamps. */
  replay(runIds: readonly string[]): number;
  /** Sends the spans recorded so far; the first export error, if any. */
  flush(): Promise<string | undefined>;
  /**
   * Sends what is pending, waiting at most `boundMs`. A failure is one notice (through `notice`)
   * in live use; `baton export` gets it back to report as its error.
   */
  close(boundMs?: number): Promise<{ ok: true } | { ok: false; error: string }>;
}

export interface OpenTelemetryArgs {
  db: Db;
  /** Where the one notice about an unreachable collector (or a bad setting) goes. */
  notice: (message: string) => void;
  env?: NodeJS.ProcessEnv | undefined;
}

export async function openTelemetry(args: OpenTelemetryArgs): Promise<Telemetry | undefined> {
  const config = telemetryConfig(args.env);
  if (!config) return undefined;
  if ('error' in config) {
    args.notice(config.error);
    return undefined;
  }
  try {
    const { createTelemetry } = await import('./telemetry.js');
    return await createTelemetry(config, args);
  } catch (err) {
    args.notice(`telemetry: could not start (${err instanceof Error ? err.message : String(err)}); telemetry is off`);
    return undefined;
  }
}

export { FLUSH_BOUND_MS, telemetryConfig };

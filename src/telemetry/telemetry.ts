/** The loaded side of telemetry: the SDK, live recording, replay of stored runs. */
import type { BatonEvent } from '../core/events.js';
import { getRunView } from '../store/views/run-view.js';
import { FLUSH_BOUND_MS, type TelemetryConfig } from './config.js';
import type { CloseResult, OpenTelemetryArgs } from './index.js';
import { Instruments } from './instruments.js';
import { EventRecorder, recordAnalysis } from './recorder.js';
import { replayRun } from './replay.js';
import { startSdk } from './otel.js';

export interface LoadedTelemetry {
  record(e: BatonEvent, at?: Date): void;
  analysisWritten(runId: string): void;
  replay(runIds: readonly string[]): number;
  flush(): Promise<string | undefined>;
  shutdown(boundMs: number): Promise<CloseResult>;
}

export async function loadTelemetry(config: TelemetryConfig, args: OpenTelemetryArgs): Promise<LoadedTelemetry> {
  const sdk = await startSdk(config, args.exportTimeoutMs ?? FLUSH_BOUND_MS);
  const deps = { tracer: sdk.tracer, ids: sdk.ids, instruments: new Instruments(sdk.meter), content: config.content };
  const recorder = new EventRecorder({ ...deps, db: args.db });
  return {
    record: recorder.record,
    analysisWritten(runId) {
      const record = getRunView(args.db, runId);
      if (!record?.analysis) return;
      const end = new Date();
      const start = new Date(record.summary.finishedAt ?? end.getTime());
      recordAnalysis(deps, runId, record.summary.pattern, record.analysis, start, end);
    },
    replay(runIds) {
      let n = 0;
      for (const id of runIds) {
        const record = getRunView(args.db, id);
        if (!record) continue;
        replayRun(deps, record);
        n++;
      }
      return n;
    },
    flush: () => sdk.flush(),
    shutdown(boundMs) {
      recorder.endAll();
      return sdk.shutdown(boundMs);
    },
  };
}

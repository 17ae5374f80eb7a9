/** The Telemetry handle over the SDK: live recording, replay of stored runs, bounded close. */
import type { BatonEvent } from '../core/events.js';
import { getRunRecord } from '../store/review.js';
import { FLUSH_BOUND_MS, type TelemetryConfig } from './config.js';
import type { OpenTelemetryArgs, Telemetry } from './index.js';
import { Instruments } from './instruments.js';
import { EventRecorder, recordAnalysis } from './recorder.js';
import { replayRun } from './replay.js';
import { startSdk } from './otel.js';

export async function createTelemetry(config: TelemetryConfig, args: OpenTelemetryArgs): Promise<Telemetry> {
  const sdk = await startSdk(config);
  const deps = { tracer: sdk.tracer, ids: sdk.ids, instruments: new Instruments(sdk.meter), content: config.content };
  const recorder = new EventRecorder({ ...deps, db: args.db });
  let closed: Promise<{ ok: true } | { ok: false; error: string }> | undefined;
  return {
    config,
    observe(hooks) {
      return {
        ...hooks,
        emit: (e: BatonEvent) => {
          hooks.emit(e);
          recorder.record(e);
        },
      };
    },
    analysisWritten(runId) {
      const record = getRunRecord(args.db, runId);
      if (!record?.analysis) return;
      const end = new Date();
      const start = new Date(record.summary.finishedAt ?? end.getTime());
      recordAnalysis(deps, runId, record.summary.pattern, record.analysis, start, end);
    },
    replay(runIds) {
      let n = 0;
      for (const id of runIds) {
        const record = getRunRecord(args.db, id);
        if (!record) continue;
        replayRun(deps, record);
        n++;
      }
      return n;
    },
    flush: () => sdk.flush(),
    close(boundMs = FLUSH_BOUND_MS) {
      closed ??= (async () => {
        recorder.endAll();
        const result = await sdk.shutdown(boundMs);
        if (!result.ok) args.notice(`telemetry: could not send to ${config.tracesUrl}: ${result.error}; nothing else is affected`);
        return result;
      })();
      return closed;
    },
  };
}

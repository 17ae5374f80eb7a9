/**
 * The OpenTelemetry SDK, set up from the environment: a tracer and a meter whose OTLP exporters
 * speak http/protobuf or http/json. Imported only when telemetry is on.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Meter, Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TelemetryConfig } from './config.js';
import { PresetIdGenerator } from './ids.js';

export interface Sdk {
  tracer: Tracer;
  meter: Meter;
  ids: PresetIdGenerator;
  /** Sends the spans recorded so far; resolves when they are sent or their export failed. */
  flush(): Promise<string | undefined>;
  /** Sends what is pending and stops, waiting at most `boundMs`; says whether everything got through. */
  shutdown(boundMs: number): Promise<{ ok: true } | { ok: false; error: string }>;
}

/** A session sends its spans every few seconds; a short -p run sends them all at exit. */
const SPAN_DELAY_MS = 5000;
const METRIC_INTERVAL_MS = 60_000;

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function exporters(protocol: TelemetryConfig['protocol'], timeoutMillis: number): Promise<{ spans: SpanExporter; metrics: PushMetricExporter }> {
  // Only the chosen protocol's exporters are loaded. Both read the OTEL_EXPORTER_OTLP_* variables
  // (endpoint, headers, timeout) themselves.
  if (protocol === 'http/json') {
    const [t, m] = await Promise.all([import('@opentelemetry/exporter-trace-otlp-http'), import('@opentelemetry/exporter-metrics-otlp-http')]);
    return { spans: new t.OTLPTraceExporter({ timeoutMillis }), metrics: new m.OTLPMetricExporter({ timeoutMillis }) };
  }
  const [t, m] = await Promise.all([import('@opentelemetry/exporter-trace-otlp-proto'), import('@opentelemetry/exporter-metrics-otlp-proto')]);
  return { spans: new t.OTLPTraceExporter({ timeoutMillis }), metrics: new m.OTLPMetricExporter({ timeoutMillis }) };
}

/** Calls `onFailure` with the error of every failed export, leaving the exporter otherwise as it is. */
function watch<T>(exporter: { export(items: T, done: (r: ExportResult) => void): void }, onFailure: (error: string) => void): void {
  const original = exporter.export.bind(exporter);
  exporter.export = (items, done) =>
    original(items, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) onFailure(describe(result.error));
      done(result);
    });
}

function describe(err: Error | undefined): string {
  if (!err) return 'export failed';
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = (err as { code?: string }).code ?? cause?.code;
  return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
}

/**
 * `exportTimeoutMs` bounds each export request, retries included (OTEL_EXPORTER_OTLP_TIMEOUT when
 * smaller): the exporter then gives up on a dead collector with its real error (ECONNREFUSED)
 * before the exit's flush bound is reached.
 */
export async function startSdk(config: TelemetryConfig, exportTimeoutMs: number): Promise<Sdk> {
  const fromEnv = Number(process.env.OTEL_EXPORTER_OTLP_TIMEOUT);
  const timeout = Number.isFinite(fromEnv) && fromEnv > 0 ? Math.min(fromEnv, exportTimeoutMs) : exportTimeoutMs;
  const { spans, metrics } = await exporters(config.protocol, timeout);
  let failure: string | undefined;
  const onFailure = (error: string) => (failure ??= error);
  watch(spans, onFailure);
  watch(metrics, onFailure);

  // OTEL_RESOURCE_ATTRIBUTES first, then ours; OTEL_SERVICE_NAME wins over the default name.
  const resource = detectResources({ detectors: [envDetector] }).merge(
    resourceFromAttributes({
      'service.name': config.serviceName,
      'service.version': version(),
      // Each process counts from zero: the instance id keeps their cumulative series apart.
      'service.instance.id': randomUUID(),
    }),
  );
  const ids = new PresetIdGenerator();
  const tracerProvider = new BasicTracerProvider({
    resource,
    idGenerator: ids,
    spanProcessors: [new BatchSpanProcessor(spans, { scheduledDelayMillis: SPAN_DELAY_MS, maxExportBatchSize: 2048, maxQueueSize: 8192 })],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: METRIC_INTERVAL_MS })],
  });
  const scope = { name: 'baton', version: version() };
  return {
    tracer: tracerProvider.getTracer(scope.name, scope.version),
    meter: meterProvider.getMeter(scope.name, scope.version),
    ids,
    async flush() {
      try {
        await tracerProvider.forceFlush();
      } catch (err) {
        failure ??= describe(err instanceof Error ? err : new Error(String(err)));
      }
      return failure;
    },
    async shutdown(boundMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), boundMs)));
      const done = Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]).then(() => 'done' as const);
      const how = await Promise.race([done, timedOut]);
      clearTimeout(timer);
      if (failure) return { ok: false, error: failure };
      if (how === 'timeout') return { ok: false, error: `no answer within ${(boundMs / 1000).toFixed(1)} s` };
      return { ok: true };
    },
  };
}

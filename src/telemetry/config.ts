/**
 * Whether telemetry is on, and how, from the environment alone. This module loads nothing of
 * OpenTelemetry: with telemetry off, nothing else in src/telemetry is imported.
 */

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TelemetryConfig {
  protocol: OtlpProtocol;
  /** Where traces go, for notices (the exporters read the variables themselves). */
  tracesUrl: string;
  serviceName: string;
  /** BATON_TELEMETRY_CONTENT=1: prompts, instructions, tool inputs and outputs are exported too. */
  content: boolean;
}

/** The longest the exit waits for telemetry to be sent. */
export const FLUSH_BOUND_MS = 2000;

const DEFAULT_ENDPOINT = 'http://localhost:4318';

/**
 * On with `BATON_TELEMETRY=otlp` or an OTLP endpoint variable; off by default, with
 * `BATON_TELEMETRY=off` and with `OTEL_SDK_DISABLED=true`. A protocol baton cannot speak (grpc) is
 * an error message, returned instead of a config.
 */
export function telemetryConfig(env: NodeJS.ProcessEnv = process.env): TelemetryConfig | { error: string } | undefined {
  const mode = env.BATON_TELEMETRY?.trim().toLowerCase();
  if (mode === 'off' || mode === '0' || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (mode !== 'otlp' && !endpoint) return undefined;
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf').trim();
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    return { error: `telemetry: OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported (use http/protobuf or http/json); telemetry is off` };
  }
  return {
    protocol,
    tracesUrl: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || `${(endpoint || DEFAULT_ENDPOINT).replace(/\/+$/, '')}/v1/traces`,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'baton',
    content: env.BATON_TELEMETRY_CONTENT === '1' || env.BATON_TELEMETRY_CONTENT?.toLowerCase() === 'true',
  };
}

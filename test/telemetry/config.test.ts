import { describe, expect, it } from 'vitest';
import { telemetryConfig } from '../../src/telemetry/config.js';

describe('telemetryConfig', () => {
  it('is off by default, and with BATON_TELEMETRY=off or OTEL_SDK_DISABLED whatever else is set', () => {
    expect(telemetryConfig({})).toBeUndefined();
    expect(telemetryConfig({ OTEL_SERVICE_NAME: 'x' })).toBeUndefined();
    expect(telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', BATON_TELEMETRY: 'off' })).toBeUndefined();
    expect(telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
  });

  it('is on with an endpoint or BATON_TELEMETRY=otlp; protobuf by default; content only when asked', () => {
    expect(telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })).toEqual({
      protocol: 'http/protobuf',
      tracesUrl: 'http://c:4318/v1/traces',
      serviceName: 'baton',
      content: false,
    });
    expect(
      telemetryConfig({ BATON_TELEMETRY: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'team', BATON_TELEMETRY_CONTENT: '1' }),
    ).toEqual({
      protocol: 'http/json',
      tracesUrl: 'http://localhost:4318/v1/traces',
      serviceName: 'team',
      content: true,
    });
    expect(telemetryConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t/x' })).toMatchObject({ tracesUrl: 'http://t/x' });
  });

  it('grpc is an error message, not a config', () => {
    expect(telemetryConfig({ BATON_TELEMETRY: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toEqual({
      error: expect.stringContaining('grpc is not supported'),
    });
  });
});

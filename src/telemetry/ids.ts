/**
 * Trace and span ids derived from baton's own ids, so a run's trace id can be computed from its
 * run id (`baton export` and the detached analysis find the same trace), and re-sending a run
 * yields the same span ids.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';

const hex = (text: string, chars: number) => createHash('sha256').update(text).digest('hex').slice(0, chars);

export const traceIdOf = (runId: string): string => hex(`baton-run:${runId}`, 32);
export const spanIdOf = (kind: string, id: string): string => hex(`baton-${kind}:${id}`, 16);

/**
 * Random ids unless the next span's ids were preset: the tracer asks for a span id (and a trace id
 * for a root) synchronously inside `startSpan`, so a preset is taken by exactly that span.
 */
export class PresetIdGenerator implements IdGenerator {
  private traceId: string | undefined;
  private spanId: string | undefined;

  preset(ids: { traceId?: string | undefined; spanId?: string | undefined }): void {
    this.traceId = ids.traceId;
    this.spanId = ids.spanId;
  }

  generateTraceId(): string {
    const id = this.traceId ?? randomBytes(16).toString('hex');
    this.traceId = undefined;
    return id;
  }

  generateSpanId(): string {
    const id = this.spanId ?? randomBytes(8).toString('hex');
    this.spanId = undefined;
    return id;
  }
}

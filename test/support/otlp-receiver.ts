/**
 * A real OTLP/HTTP receiver for tests: accepts POST /v1/traces and /v1/metrics as the OpenTelemetry
 * exporters send them (http/json, and http/protobuf decoded with the OTLP field numbers) and keeps
 * the decoded spans and metric points. It can also be told to hang (accept and never answer).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AttrValue = string | number | boolean | AttrValue[] | null;
export type Attrs = Record<string, AttrValue>;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  startMs: number;
  endMs: number;
  attributes: Attrs;
  events: { name: string; timeMs: number; attributes: Attrs }[];
  status: { code: number; message: string };
  resource: Attrs;
}

export interface ReceivedPoint {
  metric: string;
  kind: 'sum' | 'gauge' | 'histogram';
  attributes: Attrs;
  /** Sum and gauge points. */
  value?: number;
  /** Histogram points. */
  count?: number;
  sum?: number;
}

export interface OtlpRequest {
  path: string;
  contentType: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface OtlpReceiver {
  /** The base endpoint, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: ReceivedSpan[];
  points: ReceivedPoint[];
  requests: OtlpRequest[];
  /** Accept requests and never answer them (a collector that hangs). */
  hang(): void;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const points: ReceivedPoint[] = [];
  const requests: OtlpRequest[] = [];
  let hanging = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = String(req.headers['content-type'] ?? '');
      const path = req.url ?? '';
      requests.push({ path, contentType, headers: req.headers, body });
      if (hanging) return;
      const json = contentType.includes('json');
      try {
        if (path === '/v1/traces') spans.push(...(json ? tracesFromJson(JSON.parse(body.toString('utf8'))) : tracesFromProto(body)));
        else if (path === '/v1/metrics') points.push(...(json ? metricsFromJson(JSON.parse(body.toString('utf8'))) : metricsFromProto(body)));
        else {
          res.writeHead(404).end();
          return;
        }
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(err));
        return;
      }
      // An empty success response is valid in both encodings.
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    points,
    requests,
    hang: () => (hanging = true),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------- OTLP/JSON

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
  bytesValue?: string;
}
type JsonKv = { key: string; value: JsonAnyValue };

const jsonValue = (v: JsonAnyValue | undefined): AttrValue => {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(jsonValue);
  if (v.bytesValue !== undefined) return v.bytesValue;
  return null;
};
const jsonAttrs = (kvs: JsonKv[] | undefined): Attrs => Object.fromEntries((kvs ?? []).map((kv) => [kv.key, jsonValue(kv.value)]));
const nanosToMs = (n: string | number | bigint | undefined) => (n === undefined ? 0 : Number(BigInt(n) / 1000n) / 1000);

/** OTLP/JSON ids are hex strings; the JS exporter may also send them base64 when so configured. */
const jsonId = (id: string | undefined) => (!id ? '' : /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex'));

interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: JsonKv[];
  events?: { name: string; timeUnixNano: string; attributes?: JsonKv[] }[];
  status?: { code?: number; message?: string };
}

function tracesFromJson(body: { resourceSpans?: { resource?: { attributes?: JsonKv[] }; scopeSpans?: { spans?: JsonSpan[] }[] }[] }): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((rs) =>
    (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        traceId: jsonId(s.traceId),
        spanId: jsonId(s.spanId),
        parentSpanId: jsonId(s.parentSpanId),
        name: s.name,
        startMs: nanosToMs(s.startTimeUnixNano),
        endMs: nanosToMs(s.endTimeUnixNano),
        attributes: jsonAttrs(s.attributes),
        events: (s.events ?? []).map((e) => ({ name: e.name, timeMs: nanosToMs(e.timeUnixNano), attributes: jsonAttrs(e.attributes) })),
        status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
        resource: jsonAttrs(rs.resource?.attributes),
      })),
    ),
  );
}

interface JsonPoint {
  attributes?: JsonKv[];
  asDouble?: number;
  asInt?: string | number;
  count?: string | number;
  sum?: number;
}
interface JsonMetric {
  name: string;
  sum?: { dataPoints?: JsonPoint[] };
  gauge?: { dataPoints?: JsonPoint[] };
  histogram?: { dataPoints?: JsonPoint[] };
}

function metricsFromJson(body: { resourceMetrics?: { scopeMetrics?: { metrics?: JsonMetric[] }[] }[] }): ReceivedPoint[] {
  const out: ReceivedPoint[] = [];
  for (const rm of body.resourceMetrics ?? [])
    for (const sm of rm.scopeMetrics ?? [])
      for (const m of sm.metrics ?? []) {
        for (const kind of ['sum', 'gauge'] as const)
          for (const p of m[kind]?.dataPoints ?? [])
            out.push({ metric: m.name, kind, attributes: jsonAttrs(p.attributes), value: p.asDouble ?? Number(p.asInt ?? 0) });
        for (const p of m.histogram?.dataPoints ?? [])
          out.push({ metric: m.name, kind: 'histogram', attributes: jsonAttrs(p.attributes), count: Number(p.count ?? 0), sum: p.sum ?? 0 });
      }
  return out;
}

// ---------------------------------------------------------------- OTLP/protobuf

/** One message's fields by number: varints as bigint, length-delimited as Buffer, fixed as Buffer. */
type Fields = Map<number, (bigint | Buffer)[]>;

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[pos++];
    if (byte === undefined) throw new Error('truncated varint');
    result |= BigInt(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return [result, pos];
    shift += 7n;
  }
}

function decode(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    pos = next;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    let value: bigint | Buffer;
    if (wire === 0) [value, pos] = readVarint(buf, pos);
    else if (wire === 1) (value = buf.subarray(pos, pos + 8)), (pos += 8);
    else if (wire === 5) (value = buf.subarray(pos, pos + 4)), (pos += 4);
    else if (wire === 2) {
      const [len, start] = readVarint(buf, pos);
      value = buf.subarray(start, start + Number(len));
      pos = start + Number(len);
    } else throw new Error(`unsupported wire type ${wire}`);
    const list = fields.get(field) ?? [];
    list.push(value);
    fields.set(field, list);
  }
  return fields;
}

const msgs = (f: Fields, n: number) => (f.get(n) ?? []).map((b) => decode(b as Buffer));
const msg = (f: Fields, n: number) => msgs(f, n)[0] ?? new Map();
const bytes = (f: Fields, n: number) => (f.get(n)?.[0] as Buffer | undefined) ?? Buffer.alloc(0);
const str = (f: Fields, n: number) => bytes(f, n).toString('utf8');
const varint = (f: Fields, n: number) => (f.get(n)?.[0] as bigint | undefined) ?? 0n;
const fixed64 = (f: Fields, n: number) => bytes(f, n).readBigUInt64LE(0);
const double = (f: Fields, n: number) => (f.has(n) ? bytes(f, n).readDoubleLE(0) : undefined);

function protoValue(v: Fields): AttrValue {
  if (v.has(1)) return str(v, 1);
  if (v.has(2)) return varint(v, 2) !== 0n;
  if (v.has(3)) return Number(BigInt.asIntN(64, varint(v, 3)));
  if (v.has(4)) return double(v, 4)!;
  if (v.has(5)) return msgs(msg(v, 5), 1).map(protoValue);
  if (v.has(7)) return bytes(v, 7).toString('base64');
  return null;
}
const protoAttrs = (kvs: Fields[]): Attrs => Object.fromEntries(kvs.map((kv) => [str(kv, 1), protoValue(msg(kv, 2))]));
const nsToMs = (n: bigint) => Number(n / 1000n) / 1000;

function tracesFromProto(body: Buffer): ReceivedSpan[] {
  return msgs(decode(body), 1).flatMap((rs) => {
    const resource = protoAttrs(msgs(msg(rs, 1), 1));
    return msgs(rs, 2).flatMap((ss) =>
      msgs(ss, 2).map((s) => {
        const status = msg(s, 15);
        return {
          traceId: bytes(s, 1).toString('hex'),
          spanId: bytes(s, 2).toString('hex'),
          parentSpanId: bytes(s, 4).toString('hex'),
          name: str(s, 5),
          startMs: nsToMs(fixed64(s, 7)),
          endMs: nsToMs(fixed64(s, 8)),
          attributes: protoAttrs(msgs(s, 9)),
          events: msgs(s, 11).map((e) => ({ name: str(e, 2), timeMs: nsToMs(fixed64(e, 1)), attributes: protoAttrs(msgs(e, 3)) })),
          status: { code: Number(varint(status, 3)), message: str(status, 2) },
          resource,
        };
      }),
    );
  });
}

function metricsFromProto(body: Buffer): ReceivedPoint[] {
  const out: ReceivedPoint[] = [];
  for (const rm of msgs(decode(body), 1))
    for (const sm of msgs(rm, 2))
      for (const m of msgs(sm, 2)) {
        const name = str(m, 1);
        for (const [kind, field] of [
          ['gauge', 5],
          ['sum', 7],
        ] as const)
          for (const p of msgs(msg(m, field), 1)) {
            const value = p.has(4) ? double(p, 4)! : Number(BigInt.asIntN(64, bytes(p, 6).readBigUInt64LE(0)));
            out.push({ metric: name, kind, attributes: protoAttrs(msgs(p, 7)), value });
          }
        for (const p of msgs(msg(m, 9), 1))
          out.push({ metric: name, kind: 'histogram', attributes: protoAttrs(msgs(p, 9)), count: Number(fixed64(p, 4)), sum: double(p, 5) ?? 0 });
      }
  return out;
}

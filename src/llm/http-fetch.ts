/**
 * A fetch on node:http(s) for the SDK. Node's own fetch (undici) compiles its HTTP parser from
 * WebAssembly on the first request and runs every byte through it: on a one-turn `baton -p` that
 * was the largest single cost of the process (~120 ms of CPU plus the wasm compile, measured; see
 * README, Performance). node:http's parser is built into Node. Only what the SDK uses is supported:
 * a string or byte body, streamed responses, abort signals, keep-alive.
 * It also tells the stall watchdog (stall.ts) when headers and body bytes arrive: seen on the Node
 * stream, that costs nothing, where a web TransformStream per response cost ~10 ms at start-up.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

type FetchInput = Parameters<typeof fetch>[0];

/** Told when a response's headers and each chunk of its body arrive. */
export interface FetchActivity {
  onHeaders(): void;
  onData(): void;
}

/** `activity` gives the listener of the request being made (called once per request, in its async context). */
export function nodeHttpFetch(activity: () => FetchActivity | undefined = () => undefined): typeof fetch {
  // Idle keep-alive sockets are unref'd by the agent: they never hold the process open.
  const http = new HttpAgent({ keepAlive: true });
  const https = new HttpsAgent({ keepAlive: true });
  return (input: FetchInput, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const signal = init.signal ?? undefined;
      const listener = activity();
      if (signal?.aborted) return reject(abortError(signal));
      const secure = url.protocol === 'https:';
      const req = (secure ? httpsRequest : httpRequest)(url, {
        method: init.method ?? 'GET',
        headers: headerRecord(init.headers),
        agent: secure ? https : http,
      });
      const onAbort = () => req.destroy(abortError(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => {
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      });
      req.on('response', (res) => {
        // The body may still be read after headers: the signal keeps cutting it until it ends.
        res.on('close', () => signal?.removeEventListener('abort', onAbort));
        resolve(toResponse(res, listener));
      });
      req.end(bodyOf(init.body));
    });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) headers.forEach((v, k) => (out[k] = v));
  else for (const [k, v] of Array.isArray(headers) ? headers : Object.entries(headers)) if (k !== undefined && v !== undefined) out[k] = v;
  return out;
}

function bodyOf(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('this fetch sends string or byte bodies only');
}

const NULL_BODY = new Set([101, 204, 205, 304]);

function toResponse(res: IncomingMessage, listener: FetchActivity | undefined): Response {
  listener?.onHeaders();
  if (listener) res.on('data', () => listener.onData());
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const status = res.statusCode ?? 0;
  const init = { status, statusText: res.statusMessage ?? '', headers };
  if (NULL_BODY.has(status)) {
    res.resume();
    return new Response(null, init);
  }
  // No accept-encoding is sent, so bodies come plain; a server that compresses anyway is decoded.
  const encoding = headers.get('content-encoding');
  const decoder = encoding === 'gzip' ? createGunzip() : encoding === 'br' ? createBrotliDecompress() : encoding === 'deflate' ? createInflate() : undefined;
  const stream: Readable = decoder ? res.pipe(decoder) : res;
  if (decoder) res.on('error', (err) => decoder.destroy(err));
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, init);
}

/**
 * One manager per process (a session keeps it): connects the allowed MCP servers lazily, in parallel,
 * each within a timeout, lists their tools, calls them, and closes them. The SDK is imported on the
 * first connect, so merely constructing a manager costs nothing.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
// fromJSONSchema exists only in classic zod, which the MCP SDK (imported here) loads anyway.
import { fromJSONSchema } from 'zod';
import * as z from '../../core/zod.js';
import { errorMessage } from '../../core/errors.js';
import type { ToolContext, ToolResult, ToolSpec } from '../../tools/types.js';
import type { McpServerConfig } from './config.js';
import { trackServerProcess, untrackServerProcess } from './processes.js';
import { formatMcpResult, type McpCallResult } from './results.js';
import { mayStart, mcpTrust, untrustedNotice, type McpTrust } from './trust.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
/** A tool call may take long (a build, a query); progress notifications restart the clock. */
export const DEFAULT_CALL_TIMEOUT_MS = 10 * 60_000;
/** The API limits tool names to 64 characters of [A-Za-z0-9_-]. */
const MAX_TOOL_NAME = 64;

export type McpServerStatus = 'not-started' | 'connecting' | 'connected' | 'failed' | 'closed';

export interface McpToolInfo {
  /** As exposed to the model: `mcp__<server>__<tool>`. */
  name: string;
  /** The server's own name for it. */
  mcpName: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** A tool spec like the built-in ones, plus the JSON Schema the server gave (use it for the API definition). */
export interface McpToolSpec extends ToolSpec {
  server: string;
  mcpName: string;
  inputSchema: Record<string, unknown>;
}

export interface McpServerState {
  config: McpServerConfig;
  trust: McpTrust;
  status: McpServerStatus;
  /** Why it failed (start, timeout, exit), in one line. */
  error?: string;
  tools: McpToolInfo[];
  pid?: number;
  /** Milliseconds from spawn to tools listed. */
  connectMs?: number;
}

export interface McpManagerOptions {
  servers: readonly McpServerConfig[];
  /** Project server name → the definition hash the user approved (src/store/mcp-approvals.ts). */
  approvals: ReadonlyMap<string, string>;
  /** Working directory of stdio servers: the project root. */
  cwd: string;
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  /** One line for the user: a server not started, failed, timed out or died. */
  onNotice?: (text: string) => void;
  clientVersion?: string;
}

interface Live {
  client: Client;
  transport: Transport;
  stderr: string[];
}

export class McpManager {
  private readonly states = new Map<string, McpServerState>();
  private readonly live = new Map<string, Live>();
  private readonly connecting = new Map<string, Promise<void>>();
  private closed = false;
  private readonly notice: (text: string) => void;

  constructor(private readonly opts: McpManagerOptions) {
    this.notice = opts.onNotice ?? (() => undefined);
    for (const config of opts.servers) {
      this.states.set(config.name, { config, trust: mcpTrust(config, opts.approvals), status: 'not-started', tools: [] });
    }
  }

  /**
   * Connects every server that may start and is not connected yet, in parallel; resolves when each
   * is connected or has failed (never rejects). A server not allowed to start is one notice, once.
   */
  async connect(): Promise<void> {
    await Promise.all([...this.states.values()].map((s) => this.connectServer(s.config.name)));
  }

  /** Connects one server (memoised: a second call waits for the first). */
  connectServer(name: string): Promise<void> {
    const state = this.states.get(name);
    if (!state || this.closed) return Promise.resolve();
    if (!mayStart(state.trust)) {
      if (!this.connecting.has(name)) {
        this.notice(untrustedNotice(state.config, state.trust));
        this.connecting.set(name, Promise.resolve());
      }
      return Promise.resolve();
    }
    let pending = this.connecting.get(name);
    if (!pending) {
      pending = this.start(state);
      this.connecting.set(name, pending);
    }
    return pending;
  }

  /** After the user approved a project server in the session: it may start on the next connect(). */
  markApproved(name: string, hash: string): void {
    const state = this.states.get(name);
    if (!state || state.config.hash !== hash || mayStart(state.trust)) return;
    state.trust = 'approved';
    this.connecting.delete(name);
  }

  /** Project servers the user could approve now (for a session's prompt). */
  pendingApproval(): McpServerConfig[] {
    return [...this.states.values()].filter((s) => !mayStart(s.trust)).map((s) => s.config);
  }

  status(): McpServerState[] {
    return [...this.states.values()].map((s) => ({ ...s, tools: [...s.tools] }));
  }

  /** Every tool of the connected servers, as tool specs (call connect() first). */
  tools(): McpToolSpec[] {
    const out: McpToolSpec[] = [];
    for (const state of this.states.values()) {
      if (state.status !== 'connected') continue;
      for (const info of state.tools) out.push(this.spec(state.config.name, info));
    }
    return out;
  }

  /** Calls a tool by its exposed name; every failure (a dead server included) is an error result, never a throw. */
  async call(name: string, input: unknown, signal?: AbortSignal): Promise<ToolResult> {
    const found = this.find(name);
    if (!found) return { isError: true, output: `unknown MCP tool "${name}"` };
    const { state, info } = found;
    const live = this.live.get(state.config.name);
    if (state.status !== 'connected' || !live) {
      return {
        isError: true,
        output: `MCP server "${state.config.name}" is not available${state.error ? ` (${state.error})` : ''}; continue without its tools`,
      };
    }
    try {
      const result = (await live.client.callTool({ name: info.mcpName, arguments: (input ?? {}) as Record<string, unknown> }, undefined, {
        timeout: this.opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
        resetTimeoutOnProgress: true,
        ...(signal ? { signal } : {}),
      })) as McpCallResult;
      const formatted = formatMcpResult(result);
      return { output: formatted.output, isError: formatted.isError, summary: formatted.isError ? 'error' : `${formatted.output.length} chars` };
    } catch (err) {
      if (signal?.aborted) return { isError: true, output: `${name} was cancelled` };
      // The close handler may not have run yet when the call fails because the server died.
      await new Promise((r) => setImmediate(r));
      if (state.status !== 'connected') {
        return {
          isError: true,
          output: `MCP server "${state.config.name}" stopped during the call (${state.error ?? errorMessage(err)}); its tools are unavailable for the rest of this session`,
        };
      }
      return { isError: true, output: `${name} failed: ${errorMessage(err)}` };
    }
  }

  /** Closes every connection and ends every server process. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.live.entries()];
    this.live.clear();
    await Promise.all(
      all.map(async ([name, l]) => {
        const state = this.states.get(name)!;
        if (state.status === 'connected' || state.status === 'connecting') state.status = 'closed';
        await l.client.close().catch(() => undefined);
        if (state.pid) untrackServerProcess(state.pid);
      }),
    );
  }

  private find(name: string): { state: McpServerState; info: McpToolInfo } | undefined {
    for (const state of this.states.values()) {
      const info = state.tools.find((t) => t.name === name);
      if (info) return { state, info };
    }
    return undefined;
  }

  private spec(server: string, info: McpToolInfo): McpToolSpec {
    return {
      name: info.name,
      server,
      mcpName: info.mcpName,
      description: info.description,
      inputSchema: info.inputSchema,
      schema: zodFromJsonSchema(info.inputSchema),
      permission: 'exec',
      // "Always" stores the tool's name: that server's tool, any input.
      ruleKey: () => info.name,
      title: (input: unknown) => `${server}: ${info.mcpName} ${clip(JSON.stringify(input ?? {}), 200)}`,
      subject: (input: unknown) => clip(JSON.stringify(input ?? {}), 120),
      preview: async (input: unknown) => JSON.stringify(input ?? {}, null, 2),
      run: (input: unknown, ctx: ToolContext) => this.call(info.name, input, ctx.signal),
    };
  }

  private async start(state: McpServerState): Promise<void> {
    const name = state.config.name;
    const t0 = performance.now();
    state.status = 'connecting';
    delete state.error;
    const timeoutMs = this.opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let live: Live | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      live = await this.open(state);
      this.live.set(name, live);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      });
      await Promise.race([live.client.connect(live.transport, { timeout: timeoutMs }), timeout]);
      state.tools = await Promise.race([this.listTools(name, live.client), timeout]);
      if (this.closed) throw new Error('closed');
      state.status = 'connected';
      state.connectMs = performance.now() - t0;
      const l = live;
      live.client.onclose = () => this.onServerClosed(state, l);
    } catch (err) {
      const stderr = live?.stderr.join('').trim().split('\n').at(-1);
      state.status = 'failed';
      state.error = `${oneLine(errorMessage(err))}${stderr ? `; stderr: ${clip(stderr, 200)}` : ''}`;
      this.live.delete(name);
      if (live) await live.client.close().catch(() => undefined);
      if (state.pid) untrackServerProcess(state.pid);
      if (!this.closed) this.notice(`MCP server "${name}" did not start: ${state.error}; continuing without its tools`);
    } finally {
      clearTimeout(timer);
    }
  }

  private async open(state: McpServerState): Promise<Live> {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const client = new Client({ name: 'baton', version: this.opts.clientVersion ?? '0.1.0' });
    const t = state.config.transport;
    const stderr: string[] = [];
    if (t.type === 'stdio') {
      const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
      // Only a few safe variables are inherited (the SDK's default): an API key in our env stays ours.
      const transport = new StdioClientTransport({ command: t.command, args: t.args, env: t.env, cwd: this.opts.cwd, stderr: 'pipe' });
      // Drained so a chatty server never blocks on a full pipe; the tail explains a failed start.
      transport.stderr?.on('data', (chunk: Buffer) => {
        stderr.push(chunk.toString('utf8'));
        if (stderr.length > 20) stderr.shift();
      });
      // Tracked from the moment it is spawned (client.connect starts it), so even a start that is cut short leaves nothing behind.
      const start = transport.start.bind(transport);
      transport.start = async () => {
        await start();
        if (transport.pid !== null) {
          state.pid = transport.pid;
          trackServerProcess(transport.pid);
        }
      };
      return { client, transport, stderr };
    }
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const transport = new StreamableHTTPClientTransport(new URL(t.url), { requestInit: { headers: t.headers } });
    return { client, transport, stderr };
  }

  private async listTools(server: string, client: Client): Promise<McpToolInfo[]> {
    const out: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined);
      for (const tool of page.tools) {
        const name = exposedName(server, tool.name);
        if (out.some((t) => t.name === name)) {
          this.notice(`MCP server "${server}": tool "${tool.name}" has the same exposed name as another (${name}); skipped`);
          continue;
        }
        out.push({
          name,
          mcpName: tool.name,
          description: oneLine(tool.description ?? tool.title ?? tool.name),
          inputSchema: tool.inputSchema as Record<string, unknown>,
        });
      }
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  private onServerClosed(state: McpServerState, live: Live): void {
    if (this.closed || state.status !== 'connected') return;
    const stderr = live.stderr.join('').trim().split('\n').at(-1);
    state.status = 'failed';
    state.error = `the server exited${stderr ? `; stderr: ${clip(stderr, 200)}` : ''}`;
    this.live.delete(state.config.name);
    if (state.pid) untrackServerProcess(state.pid);
    this.notice(`MCP server "${state.config.name}" stopped (${state.error}); its tools are unavailable for the rest of this session`);
  }
}

/** `mcp__<server>__<tool>`, with characters the API does not accept replaced and the whole cut to its limit. */
export function exposedName(server: string, tool: string): string {
  return `mcp__${server}__${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, MAX_TOOL_NAME);
}

/** Validation with the server's own schema where zod can express it; else any object (the server validates). */
function zodFromJsonSchema(schema: Record<string, unknown>): z.ZodMiniType {
  try {
    return fromJSONSchema(schema as Parameters<typeof fromJSONSchema>[0]);
  } catch {
    return z.looseObject({});
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

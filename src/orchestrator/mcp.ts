/**
 * The MCP servers of one process (print mode or a session): opened once, only when servers are
 * configured (else none of the MCP code loads), connected lazily before the first agent that could
 * use their tools, and closed on exit. Notices go to the run in progress (or wait for the next one).
 */
import type { RunHooks } from '../core/run.js';
import { openMcp, describeTransport, type McpManager, type McpToolSpec } from '../extensions/mcp/index.js';
import type { Db } from '../store/db.js';
import { approveMcpServer } from '../store/mcp-approvals.js';

export class McpRuntime {
  private sink: ((text: string) => void) | undefined;
  private readonly early: string[] = [];
  /** Project servers already put to the user in this process (asked once, whatever the answer). */
  private readonly asked = new Set<string>();
  private manager!: McpManager;

  private constructor(
    private readonly db: Db,
    private readonly project: string,
  ) {}

  /**
   * The process's runtime, or undefined when no server is configured. `fallback` gets the notices
   * (file problems) when there is nothing to run them with.
   */
  static async open(opts: { root: string; db: Db; env?: NodeJS.ProcessEnv; fallback: (text: string) => void }): Promise<McpRuntime | undefined> {
    const rt = new McpRuntime(opts.db, opts.root);
    const manager = await openMcp({ root: opts.root, db: opts.db, ...(opts.env ? { env: opts.env } : {}), onNotice: (t) => rt.notice(t) });
    if (!manager) {
      for (const t of rt.early.splice(0)) opts.fallback(t);
      return undefined;
    }
    rt.manager = manager;
    return rt;
  }

  /** Names of the configured servers (shown to the orchestrator; nothing is connected for it). */
  serverNames(): string[] {
    return this.manager.status().map((s) => s.config.name);
  }

  status(): ReturnType<McpManager['status']> {
    return this.manager.status();
  }

  /** Routes notices to a run's events until `detach`. */
  attach(sink: (text: string) => void): void {
    this.sink = sink;
    for (const t of this.early.splice(0)) sink(t);
  }

  detach(): void {
    this.sink = undefined;
  }

  /**
   * Before the first agent that could use MCP tools: a session asks once per unapproved project
   * server (the permission prompt: once = this session, always = stored, deny = not started); print
   * mode has no prompt, so the manager skips those with one notice. Then every allowed server is
   * connected (memoised: the second call costs nothing). Returns the tools of the connected servers.
   */
  async ready(hooks: RunHooks, runId: string): Promise<McpToolSpec[]> {
    if (hooks.askPermission) {
      for (const server of this.manager.pendingApproval()) {
        if (this.asked.has(server.name)) continue;
        this.asked.add(server.name);
        const answer = await hooks.askPermission({
          runId,
          toolCallId: `mcp-server:${server.name}`,
          tool: 'mcp server',
          title: `start MCP server "${server.name}" from ${server.file}`,
          preview: describeTransport(server.transport),
          rule: `mcp-server:${server.name}`,
        });
        if (answer === 'deny') continue;
        if (answer === 'always') approveMcpServer(this.db, this.project, server.name, server.hash);
        this.manager.markApproved(server.name, server.hash);
      }
    }
    await this.manager.connect();
    return this.manager.tools();
  }

  /** Connects what may start, asking nothing (a listing: `/mcp`). */
  async connect(): Promise<void> {
    await this.manager.connect();
  }

  /** Every server process ends (also on Ctrl-C: see extensions/mcp/processes.ts). */
  close(): Promise<void> {
    return this.manager.close();
  }

  private notice(text: string): void {
    if (this.sink) this.sink(text);
    else this.early.push(text);
  }
}

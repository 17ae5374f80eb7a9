/**
 * The light entry to MCP: reads the server definitions and the approvals, and only when there is a
 * server imports the manager (and, on its first connect, the SDK). With nothing configured, a run
 * loads none of the MCP code.
 */
import type { Db } from '../../store/db.js';
import { mcpApprovals } from '../../store/mcp-approvals.js';
import { formatWarning, type ExtensionContext } from '../types.js';
import { loadMcpServers } from './config.js';
import type { McpManager, McpManagerOptions } from './manager.js';

export interface OpenMcpOptions extends ExtensionContext {
  /** For the project's approvals; without it every project server counts as unapproved. */
  db?: Db;
  onNotice?: (text: string) => void;
  /** Default: $BATON_MCP_TIMEOUT_MS, else 15 s. */
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
}

/** A manager for the servers configured for `root`, or undefined when there are none. Connects nothing yet. */
export async function openMcp(opts: OpenMcpOptions): Promise<McpManager | undefined> {
  const { servers, warnings } = loadMcpServers(opts);
  for (const w of warnings) opts.onNotice?.(formatWarning(w));
  if (!servers.length) return undefined;
  const { McpManager: Manager } = await import('./manager.js');
  const envTimeout = Number((opts.env ?? process.env).BATON_MCP_TIMEOUT_MS);
  const connectTimeoutMs = opts.connectTimeoutMs ?? (envTimeout > 0 ? envTimeout : undefined);
  const managerOptions: McpManagerOptions = {
    servers,
    approvals: opts.db ? mcpApprovals(opts.db, opts.root) : new Map(),
    cwd: opts.root,
    ...(opts.onNotice ? { onNotice: opts.onNotice } : {}),
    ...(connectTimeoutMs ? { connectTimeoutMs } : {}),
    ...(opts.callTimeoutMs ? { callTimeoutMs: opts.callTimeoutMs } : {}),
  };
  return new Manager(managerOptions);
}

export { loadMcpServers, describeTransport, type McpServerConfig } from './config.js';
export { mcpTrust, type McpTrust } from './trust.js';
export type { McpManager, McpToolSpec, McpServerState } from './manager.js';

import type { McpServerConfig } from './config.js';

/**
 * trusted: from $BATON_HOME/mcp.json; approved: a project server the user approved as it is now;
 * changed: approved once, but its definition changed since; unapproved: never approved here.
 */
export type McpTrust = 'trusted' | 'approved' | 'changed' | 'unapproved';

export function mcpTrust(server: McpServerConfig, approvals: ReadonlyMap<string, string>): McpTrust {
  if (server.source === 'user') return 'trusted';
  const hash = approvals.get(server.name);
  if (hash === undefined) return 'unapproved';
  return hash === server.hash ? 'approved' : 'changed';
}

export const mayStart = (trust: McpTrust): boolean => trust === 'trusted' || trust === 'approved';

/** The notice for a project server that is not started. */
export function untrustedNotice(server: McpServerConfig, trust: McpTrust): string {
  const why = trust === 'changed' ? 'changed since you approved it' : 'not approved for this project';
  return `MCP server "${server.name}" from ${server.file} is ${why}; not started (run \`baton mcp approve ${server.name}\` to allow it)`;
}

/**
 * Approvals of a project's `.mcp.json` servers, one per project, server and definition. Stored in
 * permission_rules as `mcp-server:<name>:<definition hash>` (no migration needed; such a rule never
 * matches a tool name, so it grants no tool permission).
 */
import { now, type Db } from './db.js';

const PREFIX = 'mcp-server:';

const ruleOf = (name: string, hash: string): string => `${PREFIX}${name}:${hash}`;

export function approveMcpServer(db: Db, project: string, name: string, hash: string): void {
  db.transaction(() => {
    // One approval per name: approving a new definition replaces the old one.
    revokeMcpServer(db, project, name);
    db.prepare('INSERT OR IGNORE INTO permission_rules (project, rule, created_at) VALUES (?, ?, ?)').run(project, ruleOf(name, hash), now());
  })();
}

/** Removes the approval of `name` (whatever definition it was for); false when there was none. */
export function revokeMcpServer(db: Db, project: string, name: string): boolean {
  return (
    db.prepare('DELETE FROM permission_rules WHERE project = ? AND substr(rule, 1, ?) = ?').run(project, PREFIX.length + name.length + 1, `${PREFIX}${name}:`)
      .changes > 0
  );
}

/** server name → the definition hash it was approved for. */
export function mcpApprovals(db: Db, project: string): Map<string, string> {
  const rules = db
    .prepare('SELECT rule FROM permission_rules WHERE project = ? AND substr(rule, 1, ?) = ?')
    .pluck()
    .all(project, PREFIX.length, PREFIX) as string[];
  const out = new Map<string, string>();
  for (const rule of rules) {
    const rest = rule.slice(PREFIX.length);
    const at = rest.lastIndexOf(':');
    if (at > 0) out.set(rest.slice(0, at), rest.slice(at + 1));
  }
  return out;
}

import { now, type Db } from './db.js';

/** A project's stored "always" answers (`bash:npm test`, `edit_file`); validation is the caller's (src/tools/permissions). */
export function insertPermissionRule(db: Db, project: string, rule: string): void {
  db.prepare('INSERT OR IGNORE INTO permission_rules (project, rule, created_at) VALUES (?, ?, ?)').run(project, rule, now());
}

export function permissionRules(db: Db, project: string): string[] {
  return db.prepare('SELECT rule FROM permission_rules WHERE project = ? ORDER BY created_at, rule').pluck().all(project) as string[];
}

export function deletePermissionRule(db: Db, project: string, rule: string): boolean {
  return db.prepare('DELETE FROM permission_rules WHERE project = ? AND rule = ?').run(project, rule).changes > 0;
}

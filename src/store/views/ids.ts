/** Run and thread ids as people type and read them: unique prefixes both ways. */
import { UserError } from '../../core/errors.js';
import type { Db } from '../db.js';
import { rowsByIdPrefix } from '../prefix.js';
import { scopeWhere } from './scope.js';

export type ResolvedId = { kind: 'run'; id: string } | { kind: 'thread'; id: string };

/**
 * Resolves a run or thread id given in full or by a unique prefix. Ids are time-sortable text
 * keys, so a prefix is a primary-key range scan. Throws a one-line UserError when nothing or
 * more than one thing matches.
 */
export function resolveId(db: Db, given: string): ResolvedId {
  const prefix = given.trim();
  if (!prefix) throw new UserError('give a run or thread id (or a unique prefix of one)');
  const matches: ResolvedId[] = [];
  for (const [kind, table] of [
    ['run', 'runs'],
    ['thread', 'threads'],
  ] as const) {
    const rows = rowsByIdPrefix<{ id: string }>(db, table, prefix, 6);
    const exact = rows.find((r) => r.id === prefix);
    if (exact) return { kind, id: exact.id };
    for (const r of rows) matches.push({ kind, id: r.id });
  }
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new UserError(`no run or thread id starts with "${prefix}"; see \`baton history\` for run ids`);
  }
  const shown = matches.slice(0, 3).map((m) => m.id);
  const more = matches.length > 3 ? ' and more' : '';
  throw new UserError(`"${prefix}" is ambiguous: it starts ${shown.join(', ')}${more}; type more characters`);
}

/**
 * The newest run of a project (of every project when undefined), for `baton show` without an id:
 * the same run as `ORDER BY started_at DESC, id DESC LIMIT 1`, for which the planner took the
 * covering runs_stats index and sorted every run of the project (60k on a 100k-run database).
 * Here max() is one lookup in runs_project_started, and the runs started at that instant are
 * found by runs_started (`+` keeps the planner off project's indexes for that part).
 */
export function latestRunId(db: Db, project: string | undefined): string | undefined {
  const newest = scopeWhere({ project }, 'm');
  const row = db
    .prepare(
      `SELECT r.id FROM runs r WHERE ${project === undefined ? '' : '+r.project = ? AND '}r.started_at = (SELECT max(m.started_at) FROM runs m WHERE ${newest.sql})
       ORDER BY r.id DESC LIMIT 1`,
    )
    .get(...(project === undefined ? [] : [project]), ...newest.params) as { id: string } | undefined;
  return row?.id;
}

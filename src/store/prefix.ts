import type { Db } from './db.js';

/**
 * Rows of `table` whose id starts with `prefix`, in id order, at most `limit`. Ids are
 * time-sortable text keys, so this is a primary-key range scan; `where` narrows it further.
 */
export function rowsByIdPrefix<T>(
  db: Db,
  table: 'runs' | 'threads',
  prefix: string,
  limit: number,
  where: { sql: string; params: unknown[] } = { sql: '1', params: [] },
): T[] {
  return db
    .prepare(`SELECT * FROM ${table} WHERE id >= ? AND id < ? || char(1114111) AND ${where.sql} ORDER BY id LIMIT ?`)
    .all(prefix, prefix, ...where.params, limit) as T[];
}

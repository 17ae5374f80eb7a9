import { UserError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { immediate, now, type Db } from './db.js';
import { rowsByIdPrefix } from './prefix.js';

export interface ThreadRow {
  id: string;
  project: string;
  title: string;
  summary: string | null;
  summary_upto: number;
  created_at: number;
  updated_at: number;
}

export interface MessageRow {
  id: number;
  thread_id: string;
  run_id: string | null;
  role: 'user' | 'assistant';
  content: string;
  created_at: number;
}

export function createThread(db: Db, project: string, title = ''): ThreadRow {
  const t = now();
  const row: ThreadRow = { id: newId('t'), project, title, summary: null, summary_upto: 0, created_at: t, updated_at: t };
  db.prepare(
    'INSERT INTO threads (id, project, title, summary, summary_upto, created_at, updated_at) VALUES (@id, @project, @title, @summary, @summary_upto, @created_at, @updated_at)',
  ).run(row);
  return row;
}

export function getThread(db: Db, id: string): ThreadRow | undefined {
  return db.prepare('SELECT * FROM threads WHERE id = ?').get(id) as ThreadRow | undefined;
}

export function latestThread(db: Db, project: string): ThreadRow | undefined {
  return db.prepare('SELECT * FROM threads WHERE project = ? ORDER BY updated_at DESC LIMIT 1').get(project) as ThreadRow | undefined;
}

/** A thread id or a unique prefix of one, within the project. */
export function resolveThread(db: Db, project: string, idOrPrefix: string): ThreadRow {
  const rows = rowsByIdPrefix<ThreadRow>(db, 'threads', idOrPrefix, 2, { sql: 'project = ?', params: [project] });
  if (rows.length === 0) throw new UserError(`no thread "${idOrPrefix}" in this project (see baton history)`);
  if (rows.length > 1 && rows[0]!.id !== idOrPrefix) throw new UserError(`thread id "${idOrPrefix}" is ambiguous; type more characters`);
  return rows[0]!;
}

export function listThreads(db: Db, project: string, limit = 50): { id: string; title: string; updatedAt: number; runs: number }[] {
  return db
    .prepare(
      `SELECT t.id, t.title, t.updated_at AS updatedAt, (SELECT COUNT(*) FROM runs r WHERE r.thread_id = t.id) AS runs
       FROM threads t WHERE t.project = ? ORDER BY t.updated_at DESC LIMIT ?`,
    )
    .all(project, limit) as { id: string; title: string; updatedAt: number; runs: number }[];
}

export function appendMessage(db: Db, threadId: string, runId: string | null, role: 'user' | 'assistant', content: string): number {
  return immediate(db, () => {
    const t = now();
    const info = db
      .prepare('INSERT INTO messages (thread_id, run_id, role, content, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(threadId, runId, role, content, t);
    // The first prompt names the thread.
    db.prepare("UPDATE threads SET updated_at = ?, title = CASE WHEN title = '' THEN substr(?, 1, 80) ELSE title END WHERE id = ?").run(
      t,
      content.replace(/\s+/g, ' ').trim(),
      threadId,
    );
    return Number(info.lastInsertRowid);
  });
}

export function threadMessages(db: Db, threadId: string, afterId = 0): MessageRow[] {
  return db.prepare('SELECT * FROM messages WHERE thread_id = ? AND id > ? ORDER BY id').all(threadId, afterId) as MessageRow[];
}

export function setThreadSummary(db: Db, threadId: string, summary: string, uptoMessageId: number): void {
  db.prepare('UPDATE threads SET summary = ?, summary_upto = ?, updated_at = ? WHERE id = ?').run(summary, uptoMessageId, now(), threadId);
}

/** The thread's last `limit` messages after `afterId`, oldest first. */
export function recentMessages(db: Db, threadId: string, afterId: number, limit: number): Pick<MessageRow, 'role' | 'content'>[] {
  const rows = db.prepare('SELECT role, content FROM messages WHERE thread_id = ? AND id > ? ORDER BY id DESC LIMIT ?').all(threadId, afterId, limit) as Pick<
    MessageRow,
    'role' | 'content'
  >[];
  return rows.reverse();
}

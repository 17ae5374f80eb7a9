/** Lessons rows: the queries behind retrieval, the post-run analysis and feedback (src/learning decides what they mean). */
import { now, type Db } from './db.js';

export interface LessonRow {
  id: number;
  project: string;
  run_id: string | null;
  pattern: string | null;
  text: string;
  weight: number;
  uses: number;
  created_at: number;
}

/** A lesson the run produced or used, as feedback moves its weight. */
export interface RunLessonRow {
  id: number;
  text: string;
  weight: number;
  /** 1 when the run wrote it. */
  produced: number;
  /** 1 when the run's decision used it. */
  used: number;
}

/**
 * The project's visible lessons matching an FTS5 query (see learning's ftsQuery), best first:
 * bm25 (negative, more negative = better) multiplied by weight keeps that order.
 */
export function matchingLessons(db: Db, project: string, match: string, limit: number): LessonRow[] {
  return db
    .prepare(
      `SELECT l.* FROM search_index
       JOIN search_docs d ON d.id = search_index.rowid
       JOIN lessons l ON l.id = CAST(substr(d.ref, 8) AS INTEGER)
       WHERE search_index MATCH ? AND d.kind = 'lesson' AND d.project = ? AND l.weight > 0
       ORDER BY bm25(search_index) * l.weight LIMIT ?`,
    )
    .all(match, project, limit) as LessonRow[];
}

/** The project's visible lessons by weight, newest first among equals. */
export function strongestLessons(db: Db, project: string, limit: number): LessonRow[] {
  return db.prepare('SELECT * FROM lessons WHERE project = ? AND weight > 0 ORDER BY weight DESC, id DESC LIMIT ?').all(project, limit) as LessonRow[];
}

/** The id of the project's lesson with this text, ignoring case and a final period. */
export function lessonIdByText(db: Db, project: string, text: string): number | undefined {
  const row = db.prepare("SELECT id FROM lessons WHERE project = ? AND lower(rtrim(text, '.')) = lower(rtrim(?, '.'))").get(project, text) as
    | { id: number }
    | undefined;
  return row?.id;
}

export function insertLesson(db: Db, row: { project: string; runId: string; pattern: string | null; text: string }): number {
  return Number(
    db.prepare('INSERT INTO lessons (project, run_id, pattern, text, created_at) VALUES (?, ?, ?, ?, ?)').run(row.project, row.runId, row.pattern, row.text, now())
      .lastInsertRowid,
  );
}

/** Raises a lesson's weight by `by`, never above `max`. */
export function raiseLessonWeight(db: Db, id: number, by: number, max: number): void {
  db.prepare('UPDATE lessons SET weight = min(?, weight + ?) WHERE id = ?').run(max, by, id);
}

export function setLessonWeight(db: Db, id: number, weight: number): void {
  db.prepare('UPDATE lessons SET weight = ? WHERE id = ?').run(weight, id);
}

/** The lessons a run produced or used, by id. */
export function lessonsOfRun(db: Db, runId: string): RunLessonRow[] {
  return db
    .prepare(
      `SELECT l.id, l.text, l.weight, l.run_id IS ? AS produced,
              EXISTS (SELECT 1 FROM lesson_uses u WHERE u.lesson_id = l.id AND u.run_id = ?) AS used
       FROM lessons l
       WHERE l.run_id = ? OR l.id IN (SELECT lesson_id FROM lesson_uses WHERE run_id = ?)
       ORDER BY l.id`,
    )
    .all(runId, runId, runId, runId) as RunLessonRow[];
}

/** Marks lessons used by a run (lesson_uses) and counts each use once per run (lessons.uses); unknown ids are skipped. */
export function markLessonsUsed(db: Db, runId: string, lessonIds: readonly number[]): void {
  const use = db.prepare('INSERT OR IGNORE INTO lesson_uses (lesson_id, run_id) SELECT id, ? FROM lessons WHERE id = ?');
  const bump = db.prepare('UPDATE lessons SET uses = uses + 1 WHERE id = ?');
  for (const lessonId of lessonIds) {
    if (use.run(runId, lessonId).changes > 0) bump.run(lessonId);
  }
}

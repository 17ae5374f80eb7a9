/** Lessons rows: the queries behind retrieval, consolidation, feedback and curation (src/learning decides what they mean). */
import { now, type Db } from './db.js';

export interface LessonRow {
  id: number;
  /** The path of the checkout it was written in (for display). */
  project: string;
  /** The project identity it belongs to (learning/project.ts). */
  project_key: string;
  /** The run whose analysis first wrote it. */
  run_id: string | null;
  pattern: string | null;
  text: string;
  /** Space-separated words a user might use for the same thing (from the analysis). */
  keywords: string;
  /** The request it came from. */
  prompt: string;
  weight: number;
  uses: number;
  pinned: number;
  reinforced: number;
  weakened: number;
  created_at: number;
  updated_at: number | null;
  last_used_at: number | null;
}

export interface CuratedLessonRow extends LessonRow {
  /** Runs that wrote, reworded or voted on it, oldest first. */
  sources: string;
  good: number;
  bad: number;
}

export type LessonOpKind = 'add' | 'edit' | 'reinforce' | 'weaken';

/** A lesson related to a run, as feedback moves its weight. */
export interface RunLessonRow {
  id: number;
  text: string;
  weight: number;
  pinned: number;
  /** 1 when the run wrote, reworded or reinforced it. */
  produced: number;
  /** 1 when one of the run's decisions used it. */
  used: number;
  /** What the run's verdict currently contributes to its weight (lesson_feedback). */
  applied: number;
}

/** The project's lessons that retrieval may show: weight above 0, or pinned. */
export function visibleLessons(db: Db, key: string): LessonRow[] {
  return db.prepare('SELECT * FROM lessons WHERE project_key = ? AND (weight > 0 OR pinned) ORDER BY id').all(key) as LessonRow[];
}

/** Every lesson of the project, hidden ones included. */
export function projectLessons(db: Db, key: string): LessonRow[] {
  return db.prepare('SELECT * FROM lessons WHERE project_key = ? ORDER BY id').all(key) as LessonRow[];
}

/** Every lesson of the project (hidden ones too) with its source runs and the feedback on them, for curation. */
export function curatedLessons(db: Db, key: string): CuratedLessonRow[] {
  return db
    .prepare(
      `SELECT l.*,
         COALESCE((SELECT group_concat(run_id, ' ') FROM (SELECT run_id FROM lesson_sources s WHERE s.lesson_id = l.id ORDER BY s.created_at, s.run_id)), '') AS sources,
         (SELECT count(*) FROM lesson_feedback f WHERE f.lesson_id = l.id AND f.delta > 0) AS good,
         (SELECT count(*) FROM lesson_feedback f WHERE f.lesson_id = l.id AND f.delta < 0) AS bad
       FROM lessons l WHERE l.project_key = ? ORDER BY l.pinned DESC, l.weight DESC, l.id`,
    )
    .all(key) as CuratedLessonRow[];
}

export function getLesson(db: Db, id: number): LessonRow | undefined {
  return db.prepare('SELECT * FROM lessons WHERE id = ?').get(id) as LessonRow | undefined;
}

export function insertLesson(
  db: Db,
  row: { project: string; key: string; runId: string | null; pattern: string | null; text: string; keywords: string; prompt: string },
): number {
  const at = now();
  const id = Number(
    db
      .prepare('INSERT INTO lessons (project, project_key, run_id, pattern, text, keywords, prompt, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(row.project, row.key, row.runId, row.pattern, row.text, row.keywords, row.prompt, at, at).lastInsertRowid,
  );
  if (row.runId) addLessonSource(db, id, row.runId, 'add');
  return id;
}

/** Records that a run acted on a lesson; false when that run already had (one op per run and lesson). */
export function addLessonSource(db: Db, lessonId: number, runId: string, op: LessonOpKind): boolean {
  return db.prepare('INSERT OR IGNORE INTO lesson_sources (lesson_id, run_id, op, created_at) VALUES (?, ?, ?, ?)').run(lessonId, runId, op, now()).changes > 0;
}

/** Rewords a lesson (and its keywords); its `baton search` entry follows. */
export function updateLessonText(db: Db, id: number, text: string, keywords?: string): void {
  db.prepare('UPDATE lessons SET text = ?, keywords = COALESCE(?, keywords), updated_at = ? WHERE id = ?').run(text, keywords ?? null, now(), id);
  const doc = db.prepare("SELECT id FROM search_docs WHERE kind = 'lesson' AND ref = ?").pluck().get(`lesson:${id}`) as number | undefined;
  if (doc !== undefined) {
    db.prepare('DELETE FROM search_index WHERE rowid = ?').run(doc);
    db.prepare('INSERT INTO search_index (rowid, body) VALUES (?, ?)').run(doc, text);
  }
}

export function setLessonKeywords(db: Db, id: number, keywords: string): void {
  db.prepare('UPDATE lessons SET keywords = ? WHERE id = ?').run(keywords, id);
}

export function setLessonWeight(db: Db, id: number, weight: number): void {
  db.prepare('UPDATE lessons SET weight = ?, updated_at = ? WHERE id = ?').run(weight, now(), id);
}

/** Counts an analysis's vote on a lesson. */
export function countLessonVote(db: Db, id: number, vote: 'reinforce' | 'weaken'): void {
  db.prepare(`UPDATE lessons SET ${vote === 'reinforce' ? 'reinforced = reinforced + 1' : 'weakened = weakened + 1'} WHERE id = ?`).run(id);
}

export function setLessonPinned(db: Db, id: number, pinned: boolean): void {
  db.prepare('UPDATE lessons SET pinned = ?, updated_at = ? WHERE id = ?').run(pinned ? 1 : 0, now(), id);
}

/** Deletes a lesson; its uses, sources, feedback ledger and search entry go with it. */
export function deleteLesson(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM lessons WHERE id = ?').run(id).changes > 0;
}

/** The lessons a run wrote, reworded or reinforced, or used, with what its verdict currently contributes to each. */
export function lessonsOfRun(db: Db, runId: string): RunLessonRow[] {
  return db
    .prepare(
      `SELECT l.id, l.text, l.weight, l.pinned,
              EXISTS (SELECT 1 FROM lesson_sources s WHERE s.lesson_id = l.id AND s.run_id = ? AND s.op IN ('add', 'edit', 'reinforce')) AS produced,
              EXISTS (SELECT 1 FROM lesson_uses u WHERE u.lesson_id = l.id AND u.run_id = ?) AS used,
              COALESCE((SELECT f.delta FROM lesson_feedback f WHERE f.lesson_id = l.id AND f.run_id = ?), 0) AS applied
       FROM lessons l
       WHERE l.id IN (SELECT lesson_id FROM lesson_sources WHERE run_id = ?)
          OR l.id IN (SELECT lesson_id FROM lesson_uses WHERE run_id = ?)
          OR l.id IN (SELECT lesson_id FROM lesson_feedback WHERE run_id = ?)
       ORDER BY l.id`,
    )
    .all(runId, runId, runId, runId, runId, runId) as RunLessonRow[];
}

/** Sets what a run's verdict contributes to a lesson (0 removes the entry). */
export function setFeedbackDelta(db: Db, lessonId: number, runId: string, delta: number): void {
  if (delta === 0) db.prepare('DELETE FROM lesson_feedback WHERE lesson_id = ? AND run_id = ?').run(lessonId, runId);
  else
    db.prepare(
      'INSERT INTO lesson_feedback (lesson_id, run_id, delta) VALUES (?, ?, ?) ON CONFLICT (lesson_id, run_id) DO UPDATE SET delta = excluded.delta',
    ).run(lessonId, runId, delta);
}

/** Marks lessons used by a run (lesson_uses) and counts each use once per run (lessons.uses); unknown ids are skipped. */
export function markLessonsUsed(db: Db, runId: string, lessonIds: readonly number[]): void {
  const use = db.prepare('INSERT OR IGNORE INTO lesson_uses (lesson_id, run_id) SELECT id, ? FROM lessons WHERE id = ?');
  const bump = db.prepare('UPDATE lessons SET uses = uses + 1, last_used_at = ? WHERE id = ?');
  for (const lessonId of lessonIds) {
    if (use.run(runId, lessonId).changes > 0) bump.run(now(), lessonId);
  }
}

export interface FeedbackNoteRow {
  run_id: string;
  verdict: 'good' | 'bad';
  note: string;
  prompt: string;
  created_at: number;
}

/** The latest feedback with a note on each run in these checkouts (paths of one project), newest first. */
export function feedbackNotes(db: Db, paths: readonly string[], limit: number): FeedbackNoteRow[] {
  return db
    .prepare(
      `SELECT f.run_id, f.verdict, f.note, r.prompt, f.created_at
       FROM feedback f JOIN runs r ON r.id = f.run_id
       WHERE r.project IN (SELECT value FROM json_each(?)) AND f.note IS NOT NULL AND f.note <> ''
         AND f.id = (SELECT max(g.id) FROM feedback g WHERE g.run_id = f.run_id)
       ORDER BY f.id DESC LIMIT ?`,
    )
    .all(JSON.stringify(paths), limit) as FeedbackNoteRow[];
}

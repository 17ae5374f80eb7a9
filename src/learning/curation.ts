/** What the user does with the lessons: list them with their evidence, pin, reword or delete one. */
import { UserError } from '../core/errors.js';
import { immediate, type Db } from '../store/db.js';
import { curatedLessons, deleteLesson, getLesson, setLessonPinned, updateLessonText, type LessonRow } from '../store/lessons.js';
import { resolveProject } from './project.js';

export interface CuratedLesson {
  id: number;
  text: string;
  keywords: string[];
  weight: number;
  /** Weight <= 0 and not pinned: kept, but no decision is shown it. */
  hidden: boolean;
  pinned: boolean;
  /** Runs whose decisions used it. */
  uses: number;
  /** Analyses that confirmed or contradicted it. */
  reinforced: number;
  weakened: number;
  /** Runs that wrote, reworded or voted on it, oldest first. */
  sourceRuns: string[];
  /** Verdicts on those runs (and on runs that used it) now counted in its weight. */
  feedback: { good: number; bad: number };
  pattern: string | null;
  /** The checkout it was written in. */
  path: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** Every lesson of the project at `projectPath`, pinned first, then by weight. */
export function listLessons(db: Db, projectPath: string): CuratedLesson[] {
  return curatedLessons(db, resolveProject(db, projectPath).key).map((l) => ({
    id: l.id,
    text: l.text,
    keywords: l.keywords.split(' ').filter(Boolean),
    weight: l.weight,
    hidden: l.weight <= 0 && !l.pinned,
    pinned: l.pinned === 1,
    uses: l.uses,
    reinforced: l.reinforced,
    weakened: l.weakened,
    sourceRuns: l.sources.split(' ').filter(Boolean),
    feedback: { good: l.good, bad: l.bad },
    pattern: l.pattern,
    path: l.project,
    createdAt: l.created_at,
    lastUsedAt: l.last_used_at,
  }));
}

/** The lesson `idText` of this project; anything else is a usage error (exit 2). */
function projectLesson(db: Db, projectPath: string, idText: string): LessonRow {
  const id = /^#?\d+$/.test(idText.trim()) ? Number(idText.trim().replace('#', '')) : NaN;
  const lesson = Number.isNaN(id) ? undefined : getLesson(db, id);
  if (!lesson || lesson.project_key !== resolveProject(db, projectPath).key) {
    throw new UserError(`no lesson "${idText}" in this project (see baton lessons)`);
  }
  return lesson;
}

/** Pinned lessons are always shown to decisions, whatever their match or the budget. */
export function pinLesson(db: Db, projectPath: string, id: string, pinned = true): LessonRow {
  const l = projectLesson(db, projectPath, id);
  setLessonPinned(db, l.id, pinned);
  return { ...l, pinned: pinned ? 1 : 0 };
}

export function editLesson(db: Db, projectPath: string, id: string, text: string): LessonRow {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) throw new UserError('a lesson needs some text');
  const l = projectLesson(db, projectPath, id);
  immediate(db, () => updateLessonText(db, l.id, clean));
  return { ...l, text: clean };
}

export function removeLesson(db: Db, projectPath: string, id: string): LessonRow {
  const l = projectLesson(db, projectPath, id);
  deleteLesson(db, l.id);
  return l;
}

/** The list as text: one lesson a paragraph with its evidence. */
export function formatLessons(lessons: readonly CuratedLesson[]): string {
  if (lessons.length === 0) return 'No lessons in this project yet: they are written after each run (see baton show <run>).';
  return lessons
    .map((l) => {
      const flags = [l.pinned ? 'pinned' : '', l.hidden ? 'hidden' : ''].filter(Boolean).join(', ');
      const votes = l.reinforced || l.weakened ? `, analyses +${l.reinforced}/-${l.weakened}` : '';
      const fb = l.feedback.good || l.feedback.bad ? `, feedback +${l.feedback.good}/-${l.feedback.bad}` : '';
      const runs = l.sourceRuns.length
        ? `; from ${l.sourceRuns.slice(0, 3).join(', ')}${l.sourceRuns.length > 3 ? ` and ${l.sourceRuns.length - 3} more` : ''}`
        : '';
      const head = `#${l.id}  weight ${l.weight.toFixed(2)}, used ${l.uses}×${votes}${fb}${flags ? ` [${flags}]` : ''}${runs}`;
      const kw = l.keywords.length ? `\n    keywords: ${l.keywords.join(', ')}` : '';
      return `${head}\n    ${l.text}${kw}`;
    })
    .join('\n');
}

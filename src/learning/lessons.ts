/**
 * Lessons: short advice the post-run analysis writes for future decisions in a project. Found by
 * FTS5 relevance to the new request, weighted by feedback (weight <= 0 hides a lesson).
 */
import { immediate, type Db } from '../store/db.js';
import type { Verdict } from '../store/feedback.js';
import {
  insertLesson,
  lessonIdByText,
  lessonsOfRun,
  matchingLessons,
  raiseLessonWeight,
  setLessonWeight,
  strongestLessons,
  type LessonRow,
} from '../store/lessons.js';

export type { LessonRow } from '../store/lessons.js';
export type { Verdict } from '../store/feedback.js';

export interface LessonChange {
  id: number;
  text: string;
  before: number;
  after: number;
}

const WEIGHT_MIN = -1;
const WEIGHT_MAX = 3;
/** Written again by a later analysis: the advice held twice, so it counts for more. */
const REINFORCE = 0.5;
const LESSON_MAX_CHARS = 400;
/** Weight moves on feedback: for lessons a run produced, and for those its decision used. */
const FEEDBACK_DELTAS: Record<Verdict, { produced: number; used: number }> = {
  good: { produced: 0.5, used: 0.5 },
  bad: { produced: -0.5, used: -0.25 },
};

const STOPWORDS = new Set(
  'a an and are as at be but by can do does for from how i in is it its me my no not of on or please so that the this to was we what when where which why will with you your'.split(' '),
);
const MAX_QUERY_TERMS = 32;

/**
 * An FTS5 query from free text that can never be a syntax error: word tokens only, each quoted
 * (so AND, NOT, NEAR, `*`, `-` and quotes are plain text), OR-ed so any shared word matches.
 * Returns null when the text has no searchable word.
 */
export function ftsQuery(text: string): string | null {
  const terms = new Set<string>();
  for (const [word] of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    if (word.length < 2 || STOPWORDS.has(word)) continue;
    terms.add(word);
    if (terms.size === MAX_QUERY_TERMS) break;
  }
  return terms.size ? [...terms].map((t) => `"${t}"`).join(' OR ') : null;
}

/**
 * The k lessons of this project most relevant to `text`: FTS matches ranked by bm25 scaled by
 * weight; if fewer than k match, the project's strongest other lessons fill the rest, since a
 * project's lessons are few and often general ("run npm test here").
 */
export function relevantLessons(db: Db, project: string, text: string, k = 5): LessonRow[] {
  const query = ftsQuery(text);
  const matched = query ? matchingLessons(db, project, query, k) : [];
  if (matched.length >= k) return matched;
  const seen = new Set(matched.map((l) => l.id));
  return [...matched, ...strongestLessons(db, project, k).filter((l) => !seen.has(l.id))].slice(0, k);
}

/**
 * Stores new lessons of a run. A text already known in the project (ignoring case, spacing and a
 * final period) is not duplicated: the existing lesson's weight rises instead.
 */
export function addLessons(
  db: Db,
  project: string,
  runId: string,
  pattern: string | null,
  texts: readonly string[],
): { added: number[]; reinforced: number[] } {
  const added: number[] = [];
  const reinforced: number[] = [];
  immediate(db, () => {
    for (const raw of texts) {
      const text = raw.replace(/\s+/g, ' ').trim().slice(0, LESSON_MAX_CHARS);
      if (!text) continue;
      const existing = lessonIdByText(db, project, text);
      if (existing !== undefined) {
        if (added.includes(existing) || reinforced.includes(existing)) continue;
        raiseLessonWeight(db, existing, REINFORCE, WEIGHT_MAX);
        reinforced.push(existing);
      } else {
        added.push(insertLesson(db, { project, runId, pattern, text }));
      }
    }
  });
  return { added, reinforced };
}

/**
 * Moves the weights of the lessons a run produced or used by the verdict's deltas (`sign` -1
 * takes a previous verdict back), clamped to [-1, 3].
 */
export function adjustLessonWeights(db: Db, runId: string, verdict: Verdict, sign: 1 | -1 = 1): LessonChange[] {
  const deltas = FEEDBACK_DELTAS[verdict];
  return immediate(db, () => {
    const rows = lessonsOfRun(db, runId);
    return rows.map((r) => {
      const delta = sign * ((r.produced ? deltas.produced : 0) + (r.used ? deltas.used : 0));
      const after = Math.min(WEIGHT_MAX, Math.max(WEIGHT_MIN, r.weight + delta));
      setLessonWeight(db, r.id, after);
      return { id: r.id, text: r.text, before: r.weight, after };
    });
  });
}

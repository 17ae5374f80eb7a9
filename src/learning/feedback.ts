/**
 * Delayed feedback on a run: stored, counted in the pattern statistics, and moving the weights of
 * the lessons the run produced or used. A run's latest verdict is the one that counts.
 */
import { immediate, type Db } from '../store/db.js';
import { insertFeedback, latestVerdict } from '../store/feedback.js';
import { resolveRun } from '../store/runs.js';
import { adjustLessonWeights, type LessonChange, type Verdict } from './lessons.js';

export interface FeedbackResult {
  runId: string;
  verdict: Verdict;
  /** The run's verdict before this one, if it had feedback already. */
  previous?: Verdict | undefined;
  /** Lessons whose weight moved (net of taking back a different previous verdict). */
  lessons: LessonChange[];
}

/** `runIdOrPrefix`: a run id or a unique prefix (unknown or ambiguous → UserError, exit 2). */
export function recordFeedback(db: Db, runIdOrPrefix: string, verdict: Verdict, note?: string | undefined): FeedbackResult {
  const runId = resolveRun(db, runIdOrPrefix).id;
  return immediate(db, () => {
    const previous = latestVerdict(db, runId);
    insertFeedback(db, runId, verdict, note?.trim() || null);
    // Repeating a verdict only adds the note; changing it takes the old one back first.
    if (previous === verdict) return { runId, verdict, previous, lessons: [] };
    const before = new Map<number, LessonChange>();
    if (previous) for (const c of adjustLessonWeights(db, runId, previous, -1)) before.set(c.id, c);
    const lessons = adjustLessonWeights(db, runId, verdict).map((c) => ({ ...c, before: before.get(c.id)?.before ?? c.before }));
    return { runId, verdict, previous, lessons };
  });
}

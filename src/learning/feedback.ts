/**
 * Delayed feedback on a run: stored at once, counted in the pattern statistics, and applied to the
 * lessons the run wrote, reworded, reinforced or used, now and when its analysis writes them later.
 * A run's latest verdict is the one that counts; its note reaches later related decisions
 * (learning/retrieval.ts).
 */
import { immediate, type Db } from '../store/db.js';
import { insertFeedback, latestVerdict, type Verdict } from '../store/feedback.js';
import { resolveRun } from '../store/runs.js';
import { applyVerdict, type LessonChange } from './verdicts.js';

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
    return { runId, verdict, previous, lessons: applyVerdict(db, runId) };
  });
}

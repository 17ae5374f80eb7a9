/**
 * How a run's verdict moves lesson weights. Each (lesson, run) pair has a ledger entry holding what
 * the run's current verdict contributes; applying a verdict sets every entry to its target, so a
 * repeated verdict changes nothing, a flipped one reverses exactly, and a lesson written after the
 * verdict (the analysis finished later) gets it when it is written.
 */
import { latestVerdict, type Verdict } from '../store/feedback.js';
import { immediate, type Db } from '../store/db.js';
import { lessonsOfRun, setFeedbackDelta, setLessonWeight } from '../store/lessons.js';

export interface LessonChange {
  id: number;
  text: string;
  before: number;
  after: number;
}

const WEIGHT_MIN = -1;
const WEIGHT_MAX = 3;

/** What a verdict contributes to a lesson the run wrote, reworded or reinforced, and to one its decisions used. */
export const FEEDBACK_DELTAS: Record<Verdict, { produced: number; used: number }> = {
  good: { produced: 0.5, used: 0.5 },
  bad: { produced: -0.5, used: -0.25 },
};

/** Brings the weights of the lessons related to `runId` in line with its latest verdict (none: takes contributions back). */
export function applyVerdict(db: Db, runId: string): LessonChange[] {
  return immediate(db, () => {
    const verdict = latestVerdict(db, runId);
    const changes: LessonChange[] = [];
    for (const r of lessonsOfRun(db, runId)) {
      const d = verdict ? FEEDBACK_DELTAS[verdict] : undefined;
      const target = d ? (r.produced ? d.produced : 0) + (r.used ? d.used : 0) : 0;
      if (target === r.applied) continue;
      const after = Math.min(WEIGHT_MAX, Math.max(WEIGHT_MIN, r.weight + target - r.applied));
      // The ledger holds what was really applied, so taking it back after a clamp is exact.
      setFeedbackDelta(db, r.id, runId, r.applied + (after - r.weight));
      if (after === r.weight) continue;
      setLessonWeight(db, r.id, after);
      changes.push({ id: r.id, text: r.text, before: r.weight, after });
    }
    return changes;
  });
}

import { now, type Db } from './db.js';

export type Verdict = 'good' | 'bad';

/** The run's latest verdict, if it has feedback. */
export function latestVerdict(db: Db, runId: string): Verdict | undefined {
  return (db.prepare('SELECT verdict FROM feedback WHERE run_id = ? ORDER BY id DESC LIMIT 1').get(runId) as { verdict: Verdict } | undefined)?.verdict;
}

export function insertFeedback(db: Db, runId: string, verdict: Verdict, note: string | null): void {
  db.prepare('INSERT INTO feedback (run_id, verdict, note, created_at) VALUES (?, ?, ?, ?)').run(runId, verdict, note, now());
}

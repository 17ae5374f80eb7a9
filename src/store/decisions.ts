import { newId } from '../core/ids.js';
import type { Usage } from '../core/usage.js';
import { immediate, now, type Db } from './db.js';
import { markLessonsUsed } from './lessons.js';

export type DecisionKind = 'initial' | 'revision' | 'fallback';

/** A decisions row as the run lifecycle reads it back (replay, revision count, analysis). */
export interface DecisionRow {
  id: string;
  seq: number;
  kind: DecisionKind;
  pattern: string;
  decision_json: string;
  fallback_cause: string | null;
}

export interface NewDecision {
  runId: string;
  kind: DecisionKind;
  pattern: string;
  /** The decision as given (a revision's includes its action). */
  decisionJson: string;
  reasoning: string;
  confidence: number;
  fallbackCause?: string | undefined;
  model: string;
  usage: Usage;
  costUsd: number;
  durationMs: number;
  /** Lesson ids the decision used: each is marked used once per run. */
  lessonsUsed: readonly number[];
}

/** Writes a decisions row with the next seq of its run, and marks the lessons it used, in one write transaction. */
export function insertDecision(db: Db, row: NewDecision): { id: string; seq: number } {
  const id = newId('d');
  const seq = immediate(db, () => {
    const { next } = db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM decisions WHERE run_id = ?').get(row.runId) as { next: number };
    db.prepare(
      `INSERT INTO decisions (id, run_id, seq, kind, pattern, decision_json, reasoning, confidence, fallback_cause, model,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, duration_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      row.runId,
      next,
      row.kind,
      row.pattern,
      row.decisionJson,
      row.reasoning,
      row.confidence,
      row.fallbackCause ?? null,
      row.model,
      row.usage.inputTokens,
      row.usage.outputTokens,
      row.usage.cacheReadTokens,
      row.usage.cacheWriteTokens,
      row.costUsd,
      row.durationMs,
      now(),
    );
    markLessonsUsed(db, row.runId, row.lessonsUsed);
    return next;
  });
  return { id, seq };
}

/** A run's decisions in order. */
export function runDecisions(db: Db, runId: string): DecisionRow[] {
  return db.prepare('SELECT id, seq, kind, pattern, decision_json, fallback_cause FROM decisions WHERE run_id = ? ORDER BY seq').all(runId) as DecisionRow[];
}

export function revisionCount(db: Db, runId: string): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM decisions WHERE run_id = ? AND kind = 'revision'").get(runId) as { n: number }).n;
}

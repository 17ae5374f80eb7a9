/**
 * An analysis row as the post-run analysis writes it (its insert still lives in
 * src/orchestrator/analysis.ts; this is the store function it can move to). Tests seed with it.
 */
import type { Usage } from '../core/usage.js';
import { now, type Db } from './db.js';

export function insertAnalysis(
  db: Db,
  row: { runId: string; outcome: string; summary: string; signals: unknown; model: string; usage: Usage; costUsd: number },
): void {
  db.prepare(
    `INSERT INTO analyses (run_id, outcome, summary, signals_json, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.runId,
    row.outcome,
    row.summary,
    JSON.stringify(row.signals),
    row.model,
    row.usage.inputTokens,
    row.usage.outputTokens,
    row.usage.cacheReadTokens,
    row.usage.cacheWriteTokens,
    row.costUsd,
    now(),
  );
}

import type { Usage } from '../core/usage.js';
import { now, type Db } from './db.js';

export interface NewAnalysis {
  runId: string;
  outcome: string;
  summary: string;
  signalsJson: string;
  model: string;
  usage: Usage;
  costUsd: number;
}

/** Writes a run's analysis, replacing an earlier one; its search entry goes with it (search_docs_del trigger). Call inside a transaction. */
export function replaceAnalysis(db: Db, a: NewAnalysis): void {
  db.prepare("DELETE FROM search_docs WHERE kind = 'analysis' AND ref = ?").run(a.runId);
  db.prepare('DELETE FROM analyses WHERE run_id = ?').run(a.runId);
  db.prepare(
    `INSERT INTO analyses (run_id, outcome, summary, signals_json, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    a.runId,
    a.outcome,
    a.summary,
    a.signalsJson,
    a.model,
    a.usage.inputTokens,
    a.usage.outputTokens,
    a.usage.cacheReadTokens,
    a.usage.cacheWriteTokens,
    a.costUsd,
    now(),
  );
}

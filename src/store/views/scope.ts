/**
 * What the review views share: which runs a query looks at, and the token/cost columns. The views
 * (one module per command family) return plain rows named as views (`RunSummary`, `RunView`,
 * `AgentCallView`, ...) so they never share a name with the write side's rows (`AgentCallRow`).
 * Stored JSON is returned as text and parsed by the caller that displays it: these queries never load zod.
 */
import type { RunStatus } from '../../core/events.js';

/** Which runs a query looks at. `project` undefined means every project. */
export interface RunScope {
  project?: string | undefined;
  /** Epoch ms: only runs started at or after this. */
  since?: number | undefined;
}

export interface RunFilter extends RunScope {
  status?: RunStatus | undefined;
  pattern?: string | undefined;
  threadId?: string | undefined;
  /** Epoch ms: only runs started before this (gc's candidates). */
  before?: number | undefined;
  /** Leave out `running` runs (a live process may own them). */
  notRunning?: boolean | undefined;
  limit?: number | undefined;
}

/** Tokens in the API's four buckets, and their cost in US dollars. */
export interface Spend {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
}

/** The four token buckets and the cost of a row, as a view's `Spend`. */
export const tokenColumns = `input_tokens AS inputTokens, output_tokens AS outputTokens,
  cache_read_tokens AS cacheReadTokens, cache_write_tokens AS cacheWriteTokens, cost_usd AS costUsd`;

/** SQL conditions (ANDed, `1` when none) and their parameters for a filter on runs aliased `alias`. */
export function scopeWhere(scope: RunFilter, alias = 'r'): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    clauses.push(clause.replaceAll('$', alias));
    params.push(value);
  };
  if (scope.project !== undefined) add('$.project = ?', scope.project);
  if (scope.since !== undefined) add('$.started_at >= ?', scope.since);
  if (scope.status !== undefined) add('$.status = ?', scope.status);
  if (scope.pattern !== undefined) add('$.pattern = ?', scope.pattern);
  if (scope.threadId !== undefined) add('$.thread_id = ?', scope.threadId);
  if (scope.before !== undefined) add('$.started_at < ?', scope.before);
  if (scope.notRunning) add('$.status <> ?', 'running');
  return { sql: clauses.length ? clauses.join(' AND ') : '1', params };
}

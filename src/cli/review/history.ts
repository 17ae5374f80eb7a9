import { basename } from 'node:path';
import type { RunStatus } from '../../core/events.js';
import type { Db } from '../../store/db.js';
import { listRuns, shortRunIds, type RunSummary } from '../../store/views/history.js';
import type { Spend } from '../../store/views/scope.js';
import { formatAge, formatCost, formatDuration, formatFeedback, formatTokens, makeStyle, statusColor, table, type ViewOptions } from './format.js';

export interface HistoryOptions extends ViewOptions {
  allProjects?: boolean | undefined;
  limit?: number | undefined;
  status?: RunStatus | undefined;
  pattern?: string | undefined;
  since?: number | undefined;
}

/** A run in `--json` output (history, show, search): stable field names, ISO times. */
export interface RunEntry {
  id: string;
  threadId: string;
  project: string;
  prompt: string;
  pattern: string | null;
  status: RunStatus;
  outcome: string | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** All four buckets, including the post-run analysis. */
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  /** Workers + decisions + analysis. */
  costUsd: number;
  analysisCostUsd: number;
  feedback: { good: number; bad: number };
}

export const isoTime = (ts: number | null): string | null => (ts === null ? null : new Date(ts).toISOString());
export const runDuration = (r: { startedAt: number; finishedAt: number | null }): number | null => (r.finishedAt === null ? null : r.finishedAt - r.startedAt);
export const totalTokens = (r: Spend) => r.inputTokens + r.outputTokens + r.cacheReadTokens + r.cacheWriteTokens;

/** The four token buckets as `--json` prints them. */
export const tokenBuckets = (r: Spend) => ({ input: r.inputTokens, output: r.outputTokens, cacheRead: r.cacheReadTokens, cacheWrite: r.cacheWriteTokens });

export function runEntry(r: RunSummary): RunEntry {
  return {
    id: r.id,
    threadId: r.threadId,
    project: r.project,
    prompt: r.prompt,
    pattern: r.pattern,
    status: r.status,
    outcome: r.outcome,
    error: r.error,
    startedAt: isoTime(r.startedAt)!,
    finishedAt: isoTime(r.finishedAt),
    durationMs: runDuration(r),
    tokens: tokenBuckets(r),
    costUsd: r.costUsd,
    analysisCostUsd: r.analysisCostUsd,
    feedback: { good: r.feedbackGood, bad: r.feedbackBad },
  };
}

function historyRuns(db: Db, project: string, opts: HistoryOptions): RunSummary[] {
  return listRuns(db, {
    project: opts.allProjects ? undefined : project,
    since: opts.since,
    status: opts.status,
    pattern: opts.pattern,
    limit: opts.limit ?? 20,
  });
}

export function historyJson(db: Db, project: string, opts: HistoryOptions): RunEntry[] {
  return historyRuns(db, project, opts).map(runEntry);
}

/** This project's runs (or every project's), newest first, as aligned columns. */
export function renderHistory(db: Db, project: string, opts: HistoryOptions = {}): string {
  const runs = historyRuns(db, project, opts);
  if (!runs.length) return 'no runs match; try without --status, --pattern or --since';
  return renderRunTable(db, runs, { ...opts, showProject: opts.allProjects });
}

/** The run table shared by history and `show <thread>`; the prompt follows each row. */
export function renderRunTable(db: Db, runs: RunSummary[], opts: ViewOptions & { showProject?: boolean | undefined }): string {
  const style = makeStyle(opts.color);
  const now = opts.now ?? Date.now();
  const short = shortRunIds(
    db,
    runs.map((r) => r.id),
  );
  const rows = runs.map((r) => ({
    cells: [
      short.get(r.id)!,
      formatAge(r.startedAt, now),
      r.pattern ?? '-',
      { text: r.status === 'waiting_user' ? 'waiting' : r.status, color: statusColor(style, r.status) },
      { text: r.outcome ?? '-', color: statusColor(style, r.outcome) },
      formatDuration(runDuration(r)),
      formatTokens(totalTokens(r)),
      formatCost(r.costUsd),
      formatFeedback(r.feedbackGood, r.feedbackBad),
    ],
    wide: opts.showProject ? `${basename(r.project)}: ${r.prompt}` : r.prompt,
  }));
  return table(
    [
      { header: 'RUN' },
      { header: 'AGE', align: 'right' },
      { header: 'PATTERN' },
      { header: 'STATUS' },
      { header: 'OUTCOME' },
      { header: 'TIME', align: 'right' },
      { header: 'TOKENS', align: 'right' },
      { header: 'COST', align: 'right' },
      { header: 'FB' },
    ],
    rows,
    { width: opts.width ?? 80, style },
  );
}

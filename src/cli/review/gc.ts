import { existsSync, statSync } from 'node:fs';
import { errorMessage } from '../../core/errors.js';
import { pruneCheckpointRefs } from '../../git/prune.js';
import type { Db } from '../../store/db.js';
import { formatBytes } from '../../core/units.js';
import { compactDatabase, deleteOldRuns, planGc } from '../../store/retention.js';
import { listRuns } from '../../store/views/history.js';
import { formatDateTime, plural } from './format.js';
import { renderRunTable } from './history.js';
import type { ViewOptions } from './format.js';

export interface GcOptions extends ViewOptions {
  /** Epoch ms: runs started before this go. */
  before: number;
  project?: string | undefined;
  lessons: boolean;
  dryRun: boolean;
}

function fileSize(path: string): number {
  let size = 0;
  for (const suffix of ['', '-wal']) {
    try {
      size += statSync(path + suffix).size;
    } catch {
      // no WAL file (or an in-memory database)
    }
  }
  return size;
}

// One unit for both sizes, so before and after compare at a glance.
const mb = (bytes: number) => formatBytes(bytes, 'MB');

/**
 * `baton gc`: deletes runs started before the cutoff with everything recorded about them, the
 * threads left empty, and (with `lessons`) the lessons they wrote; then VACUUM, and drops the git
 * checkpoint refs of the deleted runs. `dryRun` only says what would go.
 */
export async function runGc(db: Db, dbPath: string, opts: GcOptions): Promise<string> {
  const scope = { project: opts.project, before: opts.before };
  const plan = planGc(db, scope);
  const where = opts.project ? `in ${opts.project}` : 'in all projects';
  if (!plan.runs) return `nothing to delete: no runs started before ${formatDateTime(opts.before)} ${where}`;
  const lessonNote = opts.lessons
    ? plural(plan.lessons, 'lesson')
    : `no lessons (${plan.lessons} written by these runs are kept; add --lessons to delete them)`;
  const span = `started ${formatDateTime(plan.oldest!)} to ${formatDateTime(plan.newest!)}`;

  if (opts.dryRun) {
    const shown = listRuns(db, { project: opts.project, limit: 10, before: opts.before, notRunning: true });
    return [
      `would delete ${plural(plan.runs, 'run')} ${where} (${span}), ${plural(plan.threads, 'thread')} left empty, ${lessonNote}`,
      '',
      renderRunTable(db, shown, { ...opts, showProject: opts.project === undefined }),
      ...(plan.runs > shown.length ? [`… and ${plan.runs - shown.length} older`] : []),
      '',
      'nothing was deleted (--dry-run)',
    ].join('\n');
  }

  const sizeBefore = fileSize(dbPath);
  const done = deleteOldRuns(db, { ...scope, lessons: opts.lessons });
  compactDatabase(db);
  let refs = 0;
  const problems: string[] = [];
  for (const project of done.projects.filter((p) => existsSync(p))) {
    try {
      refs += await pruneCheckpointRefs(db, project);
    } catch (err) {
      // The rows are gone either way; stale refs only keep snapshots alive until the next gc.
      problems.push(`could not prune checkpoint refs in ${project}: ${errorMessage(err)}`);
    }
  }
  const lessonsDone = opts.lessons ? plural(done.lessons, 'lesson') : 'no lessons';
  return [
    `deleted ${plural(done.runs, 'run')} ${where} (${span}), ${plural(done.threads, 'thread')}, ${lessonsDone}, ${plural(refs, 'checkpoint ref')}; database ${mb(sizeBefore)} → ${mb(fileSize(dbPath))}`,
    ...problems,
  ].join('\n');
}

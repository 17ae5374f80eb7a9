/**
 * `baton undo`: puts back the files a run changed, from its checkpoint, and leaves alone any file
 * changed since the run (unless forced). An undo is recorded as a run of its own, with its own
 * checkpoint, so undoing it (the next `baton undo`) brings the run's changes back.
 */
import { UserError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { changeCount, getCheckpoint, latestUndoableRunId, recordUndo, runChanges, type Checkpoint } from '../store/checkpoints.js';
import type { Db } from '../store/db.js';
import { resolveRun, type RunRow } from '../store/runs.js';
import { closeCheckpoint } from './checkpoint.js';
import { checkpointRef, headCommit, probeRepo, setRef } from './repo.js';
import { removeFiles, restoreFromCommit } from './restore.js';
import { changedPaths, diffSnapshots, PrivateIndex, snapshotWorkingTree } from './snapshot.js';

export interface UndoResult {
  /** The run that was undone. */
  runId: string;
  prompt: string;
  /** The run recording this undo (`baton undo <it>` redoes); absent when nothing changed. */
  undoRunId?: string | undefined;
  /** Files the run modified, back to their earlier content. */
  restored: string[];
  /** Files the run created, deleted. */
  deleted: string[];
  /** Files the run deleted, back again. */
  recreated: string[];
  /** Files changed by someone else since the run: left alone. */
  skipped: string[];
  /** The command that overwrites the skipped files. */
  forceCommand?: string | undefined;
  /** Set when the run moved HEAD (it committed): undo restores files, commits stay. */
  headMoved?: { from: string | null; to: string | null } | undefined;
  /** The run never recorded its end (it crashed): its end state was taken to be the current files. */
  endTakenNow: boolean;
}

export async function undo(db: Db, root: string, runIdOrPrefix?: string, opts: { force?: boolean } = {}): Promise<UndoResult> {
  const probe = await probeRepo(root);
  if (!probe.repo) throw new UserError(probe.reason);
  const repo = probe.repo;
  const run = targetRun(db, root, runIdOrPrefix);
  if (run.status === 'running') throw new UserError(`run ${run.id} is still running; wait for it to end (or cancel it), then undo`);
  let checkpoint = getCheckpoint(db, run.id);
  if (!checkpoint) throw new UserError(`run ${run.id} changed no files in this repository: nothing to undo`);
  if (!opts.force) refuseIfUndone(db, checkpoint);

  const index = await PrivateIndex.create(repo);
  try {
    const endTakenNow = !checkpoint.afterSha;
    if (endTakenNow) {
      await closeCheckpoint(repo, db, checkpoint, index);
      checkpoint = getCheckpoint(db, run.id);
    }
    const changes = runChanges(db, run.id);
    if (!checkpoint?.afterSha || changeCount(changes) === 0) throw new UserError(`run ${run.id} changed no files: nothing to undo`);
    const { commitSha: before, afterSha: after } = checkpoint;

    const head = await headCommit(root);
    const current = await snapshotWorkingTree(root, index, head, `baton: before undo of ${run.id}`);
    const changedSince = opts.force ? new Set<string>() : await changedPaths(root, after, current);
    const keep = (path: string) => !changedSince.has(path);
    const result: UndoResult = {
      runId: run.id,
      prompt: run.prompt,
      deleted: changes.created.filter(keep),
      restored: changes.modified.filter(keep),
      recreated: changes.deleted.filter(keep),
      skipped: [...changes.created, ...changes.modified, ...changes.deleted].filter((p) => !keep(p)).sort(),
      endTakenNow,
    };
    if (result.skipped.length) result.forceCommand = `baton undo ${run.id} --force`;
    if (checkpoint.headBefore !== checkpoint.headAfter) result.headMoved = { from: checkpoint.headBefore, to: checkpoint.headAfter };

    // Deletions first: a restored file may sit where the run put a directory.
    await removeFiles(root, result.deleted);
    await restoreFromCommit(root, before, [...result.restored, ...result.recreated]);

    const undone = await snapshotWorkingTree(root, index, current, `baton: after undo of ${run.id}`);
    const undoChanges = await diffSnapshots(root, current, undone);
    if (changeCount(undoChanges) > 0) {
      const undoRunId = newId('r');
      const ref = checkpointRef(undoRunId);
      await setRef(root, ref, undone);
      recordUndo(db, {
        undoRunId,
        target: { id: run.id, threadId: run.thread_id },
        project: root,
        ref,
        beforeSha: current,
        afterSha: undone,
        head,
        changes: undoChanges,
        summary: `Undid ${run.id}: ${changeCount(undoChanges)} file(s) put back${result.skipped.length ? `, ${result.skipped.length} skipped` : ''}`,
      });
      result.undoRunId = undoRunId;
    }
    return result;
  } finally {
    await index.dispose();
  }
}

/** An undo still in effect (not itself undone) is not repeated: its own undo brings the changes back. */
function refuseIfUndone(db: Db, checkpoint: Checkpoint): void {
  const by = checkpoint.undoneBy;
  if (by && !getCheckpoint(db, by)?.undoneBy) {
    throw new UserError(`run ${checkpoint.runId} is already undone (by ${by}); \`baton undo ${by}\` brings its changes back`);
  }
}

function targetRun(db: Db, project: string, idOrPrefix: string | undefined): RunRow {
  const id = idOrPrefix ?? latestUndoableRunId(db, project);
  if (!id) throw new UserError('nothing to undo: no run has changed files in this project yet');
  const run = resolveRun(db, id);
  if (run.project !== project) throw new UserError(`run ${run.id} was made in ${run.project}; run \`baton undo\` there`);
  return run;
}

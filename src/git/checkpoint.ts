/**
 * The per-run safety net: a snapshot of the working tree before the run's first change, and
 * when the run ends the files it created, modified or deleted (whatever tool did it, `bash`
 * included, since both ends are whole-tree snapshots). Nothing the user sees in git changes:
 * not the index, HEAD, branches or stash; only a private ref `refs/baton/checkpoints/<run>`.
 */
import { errorMessage } from '../core/errors.js';
import { changeCount, deleteCheckpoint, getCheckpoint, insertCheckpoint, recordRunEnd, type Checkpoint, type RunChanges } from '../store/checkpoints.js';
import type { Db } from '../store/db.js';
import { commitRunChanges, type AutoCommitResult, type RunSummary } from './autocommit.js';
import { checkpointRef, deleteRefs, headCommit, probeRepo, setRef, type GitRepo } from './repo.js';
import { commitSnapshot, diffSnapshots, PrivateIndex, snapshotWorkingTree, writeWorkingTree } from './snapshot.js';

export type NoticeLevel = 'info' | 'warn';

export interface CheckpointerOptions {
  db: Db;
  /** The project root (the repository's top level when it is one). */
  root: string;
  runId: string;
  /** Shown to the user, e.g. as a `notice` event. */
  emitNotice: (message: string, level?: NoticeLevel) => void;
}

export interface RunCheckpointer {
  /** False outside a git repository, where every method is a no-op. */
  readonly available: boolean;
  /** Snapshots the working tree once per run; call before every write or exec tool call (cheap after the first). Never throws. */
  ensureSnapshot(): Promise<void>;
  /** Records the run's end state and its changed files; null when no snapshot was taken. Call whenever the run stops (also waiting_user). */
  finish(): Promise<RunChanges | null>;
  /** With --auto-commit, after finish(): commits exactly the run's files on the current branch. */
  autoCommit(run: RunSummary): Promise<AutoCommitResult>;
}

export async function openCheckpointer(opts: CheckpointerOptions): Promise<RunCheckpointer> {
  const probe = await probeRepo(opts.root);
  return probe.repo ? new GitCheckpointer(probe.repo, opts) : new NoRepoCheckpointer(probe.reason, opts.emitNotice);
}

/** Once per process: every run outside a repository would otherwise repeat it. */
let noRepoNoticeShown = false;

class NoRepoCheckpointer implements RunCheckpointer {
  readonly available = false;
  constructor(
    private readonly reason: string,
    private readonly emitNotice: CheckpointerOptions['emitNotice'],
  ) {}
  async ensureSnapshot(): Promise<void> {
    if (noRepoNoticeShown) return;
    noRepoNoticeShown = true;
    this.emitNotice(this.reason, 'info');
  }
  async finish(): Promise<null> {
    return null;
  }
  async autoCommit(): Promise<AutoCommitResult> {
    return { status: 'skipped', reason: this.reason };
  }
}

class GitCheckpointer implements RunCheckpointer {
  readonly available = true;
  /** The snapshot in progress or done; shared by concurrent callers (parallel agents). */
  private snapshot: Promise<void> | undefined;
  /** Kept from the first snapshot to the last: its stat cache makes the end snapshot cheap. */
  private index: PrivateIndex | undefined;

  constructor(
    private readonly repo: GitRepo,
    private readonly opts: CheckpointerOptions,
  ) {}

  ensureSnapshot(): Promise<void> {
    this.snapshot ??= this.takeSnapshot();
    return this.snapshot;
  }

  private async takeSnapshot(): Promise<void> {
    const { db, runId, root } = this.opts;
    // A resumed run keeps the checkpoint from before its first change.
    if (getCheckpoint(db, runId)) return;
    try {
      this.index = await PrivateIndex.create(this.repo);
      const [tree, head] = await Promise.all([writeWorkingTree(root, this.index), headCommit(root)]);
      const commit = await commitSnapshot(root, tree, head, `baton: before run ${runId}`);
      const ref = checkpointRef(runId);
      // Ref first: a crash before the row leaves an orphan ref that pruning removes, never a row without its commit.
      await setRef(root, ref, commit);
      insertCheckpoint(db, { runId, ref, commitSha: commit, headBefore: head });
    } catch (err) {
      await this.disposeIndex();
      this.opts.emitNotice(`checkpoint failed (${errorMessage(err)}): undo is unavailable for this run`, 'warn');
    }
  }

  async finish(): Promise<RunChanges | null> {
    const { db, runId } = this.opts;
    await this.snapshot;
    // A later ensureSnapshot (the run resumes) checks the database again.
    this.snapshot = undefined;
    const checkpoint = getCheckpoint(db, runId);
    try {
      if (!checkpoint) return null;
      this.index ??= await PrivateIndex.create(this.repo);
      return await closeCheckpoint(this.repo, db, checkpoint, this.index);
    } catch (err) {
      this.opts.emitNotice(`could not record the run's changes (${errorMessage(err)}): undo may miss some of them`, 'warn');
      return null;
    } finally {
      await this.disposeIndex();
    }
  }

  async autoCommit(run: RunSummary): Promise<AutoCommitResult> {
    const result = await commitRunChanges(this.repo, this.opts.db, this.opts.runId, run).catch(
      (err: unknown): AutoCommitResult => ({ status: 'skipped', reason: errorMessage(err) }),
    );
    if (result.status === 'committed') this.opts.emitNotice(`committed ${result.commit.slice(0, 7)} ${result.subject}`, 'info');
    else if (result.status === 'skipped') this.opts.emitNotice(`auto-commit skipped: ${result.reason}`, 'warn');
    return result;
  }

  private async disposeIndex(): Promise<void> {
    await this.index?.dispose();
    this.index = undefined;
  }
}

/**
 * Snapshots the tree as the run left it and records the difference from its checkpoint. A run
 * that changed nothing keeps no checkpoint, so `baton undo` skips it.
 */
export async function closeCheckpoint(repo: GitRepo, db: Db, checkpoint: Checkpoint, index: PrivateIndex): Promise<RunChanges> {
  const { root } = repo;
  const [after, head] = await Promise.all([
    // The parent link keeps the "before" commit reachable from the ref once it points here.
    snapshotWorkingTree(root, index, checkpoint.commitSha, `baton: after run ${checkpoint.runId}`),
    headCommit(root),
  ]);
  const changes = await diffSnapshots(root, checkpoint.commitSha, after);
  if (changeCount(changes) === 0) {
    await deleteRefs(root, [checkpoint.ref]);
    deleteCheckpoint(db, checkpoint.runId);
  } else {
    await setRef(root, checkpoint.ref, after);
    recordRunEnd(db, checkpoint.runId, { headAfter: head, afterSha: after, changes });
  }
  return changes;
}

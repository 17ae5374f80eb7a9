/**
 * `--auto-commit`: commits exactly the files a run changed, as the run left them, on the
 * current branch. Built from plumbing (a private index seeded from HEAD) so whatever else the
 * user has staged or modified stays out of the commit and stays staged. Commit hooks do not run.
 */
import { getCheckpoint, runChanges, setHeadAfter } from '../store/checkpoints.js';
import type { Db } from '../store/db.js';
import { conventionalCommitMessage, type RunSummary } from './commit-message.js';
import { git, nulList, splitNul } from './exec.js';
import { porcelain } from './porcelain.js';
import { headCommit, operationInProgress, type GitRepo } from './repo.js';
import { PrivateIndex } from './snapshot.js';

export type { RunSummary } from './commit-message.js';

export type AutoCommitResult =
  | { status: 'committed'; commit: string; subject: string; files: string[] }
  /** Nothing to commit: not worth a notice. */
  | { status: 'nothing'; reason: string }
  /** Refused or failed: the reason says what to do. */
  | { status: 'skipped'; reason: string };

export async function commitRunChanges(repo: GitRepo, db: Db, runId: string, run: RunSummary): Promise<AutoCommitResult> {
  const { root } = repo;
  const checkpoint = getCheckpoint(db, runId);
  if (!checkpoint?.afterSha) return { status: 'nothing', reason: 'the run changed no files' };
  // Safety checks are porcelain (simple-git); the commit itself is plumbing on a private index.
  const { detached } = await (await porcelain(root, { GIT_OPTIONAL_LOCKS: '0' })).status(['--untracked-files=no']);
  if (detached) return { status: 'skipped', reason: 'HEAD is detached; check out a branch to let baton commit' };
  const operation = operationInProgress(repo);
  if (operation) return { status: 'skipped', reason: `${operation} is in progress; finish or abort it, then commit yourself` };

  const changes = runChanges(db, runId);
  const files = [...changes.created, ...changes.modified, ...changes.deleted];
  const head = await headCommit(root);
  const index = await PrivateIndex.create();
  try {
    const env = index.env;
    if (head) await git(root, ['read-tree', head], { env });
    // The run's files as the run left them: entries from its end snapshot, removals for deletions.
    const wanted = new Set(files);
    const entries = splitNul(await git(root, ['ls-tree', '-r', '-z', '--full-tree', checkpoint.afterSha])).filter((line) =>
      wanted.has(line.slice(line.indexOf('\t') + 1)),
    );
    const zero = '0'.repeat(checkpoint.afterSha.length);
    const removals = changes.deleted.map((path) => `0 ${zero}\t${path}`);
    await git(root, ['update-index', '-z', '--index-info'], { env, input: nulList([...entries, ...removals]) });
    const tree = (await git(root, ['write-tree'], { env })).trim();
    if (head && tree === (await git(root, ['rev-parse', `${head}^{tree}`])).trim()) {
      return { status: 'nothing', reason: 'the run’s changes are already committed' };
    }

    const { subject, message } = conventionalCommitMessage(runId, run);
    const commit = (await git(root, ['commit-tree', tree, ...(head ? ['-p', head] : []), '-F', '-'], { input: message })).trim();
    // Moves the branch HEAD is on, only if nobody moved it meanwhile (empty old value: it must not exist yet).
    await git(root, ['update-ref', '-m', `commit (baton): ${subject}`, 'HEAD', commit, head ?? '']);
    // The user's index must agree with the new HEAD for these paths, or git would show them as staged reversals.
    await git(root, ['--literal-pathspecs', 'reset', '-q', '--pathspec-from-file=-', '--pathspec-file-nul'], {
      input: nulList(files),
    });
    setHeadAfter(db, runId, commit);
    return { status: 'committed', commit, subject, files };
  } finally {
    await index.dispose();
  }
}

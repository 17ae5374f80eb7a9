/** `--auto-commit` in real repositories: only the run's files, a conventional message, refusals that say why. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conventionalCommitMessage } from '../../src/git/commit-message.js';
import { getCheckpoint } from '../../src/store/checkpoints.js';
import type { Db } from '../../src/store/db.js';
import type { TempRepo } from '../support/repo.js';
import { checkpointerFor, collectNotices, insertRun, makeProject, openHomeDb, simulateRunEdits, userGitState, userWorkInProgress } from './helpers.js';

let repo: TempRepo;
let db: Db;

const PROMPT = 'Fix the greeting in a.txt and tidy b';

/** A finished run whose four changes are recorded, plus an unrelated unstaged edit by the user. */
async function finishedRun(notices = collectNotices()) {
  const runId = insertRun(db, repo.root, { prompt: PROMPT });
  const cp = await checkpointerFor(db, repo, runId, notices);
  await cp.ensureSnapshot();
  simulateRunEdits(repo);
  await cp.finish();
  repo.write('BATON_USER_NOTES.txt', 'not the run’s\n');
  return { runId, cp, notices };
}

describe('autoCommit', () => {
  beforeEach(() => {
    repo = makeProject();
    userWorkInProgress(repo);
    db = openHomeDb(repo);
  });
  afterEach(() => {
    db.close();
    repo.cleanup();
  });

  it('commits exactly the run’s files with a conventional message; the user’s staged work stays staged', async () => {
    const before = userGitState(repo);
    const { runId, cp, notices } = await finishedRun();

    const result = await cp.autoCommit({ prompt: PROMPT, result: 'Fixed the greeting.\n\nDetails nobody needs in a commit.' });
    expect(result.status).toBe('committed');
    if (result.status !== 'committed') return;

    expect(repo.git('rev-parse', 'HEAD').trim()).toBe(result.commit);
    expect(repo.git('rev-parse', 'HEAD^').trim()).toBe(before.head);
    expect(repo.git('symbolic-ref', 'HEAD').trim()).toBe(before.branch);
    expect(repo.git('show', '--name-status', '--format=', 'HEAD')).toBe('A\tdocs/my notes.md\nM\tsrc/a.txt\nM\tsrc/b.txt\nD\ttools/old.sh\n');
    expect(repo.git('log', '-1', '--format=%B')).toBe(
      `fix: the greeting in a.txt and tidy b\n\nFixed the greeting.\n\nBaton-Run: ${runId}\nCo-authored-by: baton <baton@noreply.invalid>\n\n`,
    );
    // Still staged, still unstaged, still stashed: only the run's paths moved into the commit.
    expect(repo.git('diff', '--cached', '--name-status')).toBe(before.staged);
    expect(repo.git('stash', 'list')).toBe(before.stash);
    expect(repo.git('status', '--porcelain')).toBe('M  staged.txt\n?? BATON_USER_NOTES.txt\n');
    expect(getCheckpoint(db, runId)!.headAfter).toBe(result.commit);
    expect(notices.messages).toEqual([`committed ${result.commit.slice(0, 7)} fix: the greeting in a.txt and tidy b`]);

    expect(await cp.autoCommit({ prompt: PROMPT })).toEqual({ status: 'nothing', reason: 'the run’s changes are already committed' });
  });

  it('refuses on a detached HEAD, with a message that says what to do', async () => {
    repo.git('checkout', '-q', '--detach');
    const head = repo.git('rev-parse', 'HEAD');
    const { cp, notices } = await finishedRun();
    expect(await cp.autoCommit({ prompt: PROMPT })).toEqual({
      status: 'skipped',
      reason: 'HEAD is detached; check out a branch to let baton commit',
    });
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(notices.messages).toEqual(['auto-commit skipped: HEAD is detached; check out a branch to let baton commit']);
  });

  it('refuses during a merge', async () => {
    repo.git('checkout', '-q', '-b', 'other');
    repo.write('src/b.txt', 'other side\n');
    repo.git('commit', '-qam', 'other side');
    repo.git('checkout', '-q', 'main');
    repo.write('src/b.txt', 'main side\n');
    repo.git('commit', '-qam', 'main side');
    expect(() => repo.git('merge', '-q', 'other')).toThrow(); // conflict: MERGE_HEAD is left behind
    const head = repo.git('rev-parse', 'HEAD');

    const runId = insertRun(db, repo.root);
    const cp = await checkpointerFor(db, repo, runId);
    await cp.ensureSnapshot();
    repo.write('src/a.txt', 'edited mid-merge\n');
    await cp.finish();
    expect(await cp.autoCommit({ prompt: 'edit a' })).toEqual({
      status: 'skipped',
      reason: 'a merge is in progress; finish or abort it, then commit yourself',
    });
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
  });

  it('has nothing to commit, and says nothing, for a run without changes', async () => {
    const runId = insertRun(db, repo.root);
    const notices = collectNotices();
    const cp = await checkpointerFor(db, repo, runId, notices);
    expect(await cp.autoCommit({ prompt: 'explain' })).toEqual({ status: 'nothing', reason: 'the run changed no files' });
    expect(notices.messages).toEqual([]);
  });
});

describe('conventionalCommitMessage', () => {
  const subject = (prompt: string) => conventionalCommitMessage('r_1', { prompt }).subject;

  it('picks the type from the request and keeps the subject short', () => {
    expect(subject('please add a --json flag to history')).toBe('feat: add a --json flag to history');
    expect(subject('Update the README install section.')).toBe('docs: update the README install section');
    expect(subject('write tests for the parser')).toBe('test: write tests for the parser');
    expect(subject('Rename Foo to Bar everywhere')).toBe('refactor: rename Foo to Bar everywhere');
    expect(subject('fix the crash when input is empty')).toBe('fix: the crash when input is empty');
    expect(subject('bump the version')).toBe('chore: bump the version');
    const long = subject(`implement ${'a very long request '.repeat(10)}`);
    expect(long.length).toBe(72);
    expect(long.endsWith('…')).toBe(true);
  });
});

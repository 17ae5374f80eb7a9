/**
 * `baton undo` end to end: a run's changes are recorded in this process (the run), then the
 * built CLI undoes them in another process (a restart), in a real temporary repository.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UndoResult } from '../../src/git/undo.js';
import { getCheckpoint } from '../../src/store/checkpoints.js';
import { BATON_BIN, runBaton } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';
import { BASE_FILES, checkpointerFor, insertRun, makeProject, openHomeDb, simulateRunEdits, userGitState, userWorkInProgress } from './helpers.js';

let repo: TempRepo;

beforeAll(() => {
  if (!existsSync(BATON_BIN)) throw new Error('build first: npm run build');
});
beforeEach(() => {
  repo = makeProject();
  userWorkInProgress(repo);
});
afterEach(() => repo.cleanup());

const baton = (...args: string[]) => runBaton(args, { cwd: repo.root, home: repo.home });
const read = (path: string) => readFileSync(join(repo.root, path), 'utf8');
const exists = (path: string) => existsSync(join(repo.root, path));
const isExecutable = (path: string) => (statSync(join(repo.root, path)).mode & 0o111) !== 0;

/** The four files a run touches, as the test sees them. */
function runFiles() {
  return {
    a: read('src/a.txt'),
    b: read('src/b.txt'),
    created: exists('docs/my notes.md') ? read('docs/my notes.md') : null,
    deleted: exists('tools/old.sh') ? read('tools/old.sh') : null,
  };
}

const BEFORE = { a: BASE_FILES['src/a.txt'], b: BASE_FILES['src/b.txt'], created: null, deleted: BASE_FILES['tools/old.sh'] };
const AFTER = { a: 'alpha, edited by edit_file\n', b: 'beta\nbeta, appended by bash\n', created: '# created by write_file\n', deleted: null };

/** A finished run that made the test's four changes, recorded by this process; the database is closed after. */
async function recordedRun(opts: { finish?: boolean; status?: 'completed' | 'interrupted' | 'running' } = {}): Promise<string> {
  const db = openHomeDb(repo);
  try {
    const runId = insertRun(db, repo.root, { prompt: 'edit a and b, add notes, drop old.sh', status: opts.status });
    const cp = await checkpointerFor(db, repo, runId);
    await cp.ensureSnapshot();
    simulateRunEdits(repo);
    if (opts.finish !== false) await cp.finish();
    return runId;
  } finally {
    db.close();
  }
}

async function undoJson(...args: string[]): Promise<{ code: number | null; result: UndoResult; stderr: string }> {
  const r = await baton('undo', '--json', ...args);
  return { code: r.code, result: JSON.parse(r.stdout) as UndoResult, stderr: r.stderr };
}

describe('baton undo', () => {
  it('after a restart, restores all four files; a second undo redoes; a third undoes again; user git state untouched', async () => {
    const user = userGitState(repo);
    const statusBefore = repo.git('status', '--porcelain');
    const runId = await recordedRun();
    expect(runFiles()).toEqual(AFTER);

    const first = await baton('undo');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Undid ${runId}`);
    for (const line of ['restored   src/a.txt', 'restored   src/b.txt', 'deleted    docs/my notes.md', 'recreated  tools/old.sh']) {
      expect(first.stdout).toContain(line);
    }
    expect(runFiles()).toEqual(BEFORE);
    expect(isExecutable('tools/old.sh')).toBe(true);
    expect(exists('docs')).toBe(false); // the folder the run created goes with its file
    expect(read('build/out.log')).toBe('ignored output\n'); // ignored files are not the run's to take back
    expect(repo.git('status', '--porcelain')).toBe(statusBefore);
    expect(userGitState(repo)).toEqual(user);

    const redo = await undoJson();
    expect(redo.code).toBe(0);
    expect(redo.result.runId).not.toBe(runId); // it undid the undo
    expect(runFiles()).toEqual(AFTER);
    expect(userGitState(repo)).toEqual(user);

    const again = await undoJson();
    expect(again.code).toBe(0);
    expect(again.result.runId).toBe(redo.result.undoRunId);
    expect(runFiles()).toEqual(BEFORE);
    expect(userGitState(repo)).toEqual(user);
  });

  it('leaves a file the user changed since the run alone and names it; --force overwrites it', async () => {
    const runId = await recordedRun();
    repo.write('src/a.txt', 'the user’s own edit\n');

    const partial = await baton('undo', runId.slice(0, 12));
    expect(partial.code).toBe(1);
    expect(partial.stdout).toContain('Left alone (changed since the run):\n  src/a.txt');
    expect(partial.stdout).toContain(`baton undo ${runId} --force`);
    expect(runFiles()).toEqual({ ...BEFORE, a: 'the user’s own edit\n' });

    const forced = await undoJson(runId, '--force');
    expect(forced.code).toBe(0);
    expect(forced.result.skipped).toEqual([]);
    expect(runFiles()).toEqual(BEFORE);

    // The forced undo is recorded like any other: undoing it brings back the user's edit.
    await undoJson(forced.result.undoRunId!);
    expect(read('src/a.txt')).toBe('the user’s own edit\n');
  });

  it('refuses to repeat an undo in effect and points at the undo that would bring the changes back', async () => {
    const runId = await recordedRun();
    const first = await undoJson();
    const again = await baton('undo', runId);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      `baton: run ${runId} is already undone (by ${first.result.undoRunId}); \`baton undo ${first.result.undoRunId}\` brings its changes back\n`,
    );
    expect(runFiles()).toEqual(BEFORE);
  });

  it('undoes a run that crashed before recording its end, taking the current files as its result', async () => {
    const runId = await recordedRun({ finish: false, status: 'interrupted' });
    const r = await undoJson();
    expect(r.code).toBe(0);
    expect(r.result).toMatchObject({ runId, endTakenNow: true, skipped: [] });
    expect(runFiles()).toEqual(BEFORE);
  });

  it('says clearly when there is nothing to undo, the run is unknown or ambiguous, or still running', async () => {
    const none = await baton('undo');
    expect([none.code, none.stderr]).toEqual([2, 'baton: nothing to undo: no run has changed files in this project yet\n']);

    const unknown = await baton('undo', 'r_nosuchrun');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^baton: no run "r_nosuchrun".*\n$/);

    const db = openHomeDb(repo);
    insertRun(db, repo.root, { id: 'r_twin1' });
    insertRun(db, repo.root, { id: 'r_twin2' });
    db.close();
    const ambiguous = await baton('undo', 'r_twin');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/^baton: run id "r_twin" is ambiguous.*\n$/);

    const running = await recordedRun({ status: 'running' });
    const busy = await baton('undo', running);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain(`run ${running} is still running`);
    expect(runFiles()).toEqual(AFTER);
  });

  it('records the undo as a run in the same thread, with its own checkpoint', async () => {
    const runId = await recordedRun();
    const { result } = await undoJson();
    const db = openHomeDb(repo);
    try {
      const undoRun = db.prepare('SELECT thread_id, prompt, status FROM runs WHERE id = ?').get(result.undoRunId) as Record<string, string>;
      const original = db.prepare('SELECT thread_id FROM runs WHERE id = ?').get(runId) as Record<string, string>;
      expect(undoRun).toEqual({ thread_id: original.thread_id, prompt: `undo ${runId}`, status: 'completed' });
      expect(getCheckpoint(db, runId)!.undoneBy).toBe(result.undoRunId);
      expect(getCheckpoint(db, result.undoRunId!)!.afterSha).toBeTruthy();
      expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/baton/').trim().split('\n')).toEqual(
        [runId, result.undoRunId].map((id) => `refs/baton/checkpoints/${id}`).sort(),
      );
    } finally {
      db.close();
    }
  });
});

/** The per-run checkpoint in real temporary repositories: what it records and what it never touches. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneCheckpointRefs } from '../../src/git/prune.js';
import { getCheckpoint, runChanges } from '../../src/store/checkpoints.js';
import type { Db } from '../../src/store/db.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import {
  checkpointerFor,
  collectNotices,
  insertRun,
  makeProject,
  openHomeDb,
  RUN_CHANGES,
  simulateRunEdits,
  userGitState,
  userWorkInProgress,
} from './helpers.js';

let repo: TempRepo;
let db: Db;

beforeEach(() => {
  repo = makeProject();
  userWorkInProgress(repo);
  db = openHomeDb(repo);
});
afterEach(() => {
  db.close();
  repo.cleanup();
});

const refs = () => repo.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/baton/').trim();

describe('run checkpoint', () => {
  it('records every file a run created, modified or deleted, shell included, and touches nothing of the user’s', async () => {
    const before = userGitState(repo);
    const statusBefore = repo.git('status', '--porcelain');
    const runId = insertRun(db, repo.root);
    const notices = collectNotices();
    const cp = await checkpointerFor(db, repo, runId, notices);
    expect(cp.available).toBe(true);

    await Promise.all([cp.ensureSnapshot(), cp.ensureSnapshot()]);
    await cp.ensureSnapshot();
    const checkpoint = getCheckpoint(db, runId)!;
    expect(checkpoint.ref).toBe(`refs/baton/checkpoints/${runId}`);
    expect(checkpoint.headBefore).toBe(before.head);
    expect(refs()).toBe(`${checkpoint.ref} ${checkpoint.commitSha}`);
    // The snapshot holds the working tree as it was: the user's staged edit, not the stashed one.
    expect(repo.git('show', `${checkpoint.commitSha}:staged.txt`)).toBe('staged by the user\n');
    expect(repo.git('show', `${checkpoint.commitSha}:stashed.txt`)).toBe('stashed: original\n');
    expect(repo.git('rev-parse', `${checkpoint.commitSha}^`).trim()).toBe(before.head);
    expect(userGitState(repo)).toEqual(before);

    simulateRunEdits(repo);
    const changes = await cp.finish();

    expect(changes).toEqual(RUN_CHANGES);
    expect(runChanges(db, runId)).toEqual(RUN_CHANGES);
    const end = getCheckpoint(db, runId)!;
    expect(end.commitSha).toBe(checkpoint.commitSha);
    expect(end.headAfter).toBe(before.head);
    // The ref now points at the end snapshot, whose parent is the start: both stay reachable.
    expect(refs()).toBe(`${end.ref} ${end.afterSha}`);
    expect(repo.git('rev-parse', `${end.afterSha}^`).trim()).toBe(checkpoint.commitSha);
    expect(repo.git('ls-tree', '-r', '--name-only', end.afterSha!)).not.toContain('build/out.log');
    expect(userGitState(repo)).toEqual(before);
    expect(repo.git('status', '--porcelain')).not.toBe(statusBefore);
    expect(notices.messages).toEqual([]);
  });

  it('keeps no checkpoint for a run that changed nothing, and none without a snapshot', async () => {
    const quiet = insertRun(db, repo.root);
    const cp = await checkpointerFor(db, repo, quiet);
    await cp.ensureSnapshot();
    repo.write('build/cache.bin', 'ignored files do not count\n');
    expect(await cp.finish()).toEqual({ created: [], modified: [], deleted: [] });
    expect(getCheckpoint(db, quiet)).toBeUndefined();
    expect(refs()).toBe('');

    const readOnly = insertRun(db, repo.root);
    expect(await (await checkpointerFor(db, repo, readOnly)).finish()).toBeNull();
  });

  it('a resumed run (another process) keeps the checkpoint from before its first change', async () => {
    const runId = insertRun(db, repo.root);
    const first = await checkpointerFor(db, repo, runId);
    await first.ensureSnapshot();
    const start = getCheckpoint(db, runId)!.commitSha;
    repo.write('src/a.txt', 'first half\n');
    expect(await first.finish()).toEqual({ created: [], modified: ['src/a.txt'], deleted: [] });

    const resumed = await checkpointerFor(db, repo, runId);
    await resumed.ensureSnapshot();
    repo.write('src/new.txt', 'second half\n');
    expect(await resumed.finish()).toEqual({ created: ['src/new.txt'], modified: ['src/a.txt'], deleted: [] });
    expect(getCheckpoint(db, runId)!.commitSha).toBe(start);
  });

  it('works in a repository without commits, without creating the user’s index', async () => {
    const fresh = makeTempRepo({ 'notes.txt': 'n\n' }, { git: false });
    try {
      fresh.git('init', '-q', '-b', 'main');
      const runId = insertRun(db, fresh.root);
      const cp = await checkpointerFor(db, fresh, runId);
      await cp.ensureSnapshot();
      expect(getCheckpoint(db, runId)!.headBefore).toBeNull();
      writeFileSync(join(fresh.root, 'notes.txt'), 'n2\n');
      fresh.write('added.txt', 'x\n');
      expect(await cp.finish()).toEqual({ created: ['added.txt'], modified: ['notes.txt'], deleted: [] });
      expect(existsSync(join(fresh.root, '.git/index'))).toBe(false);
      expect(fresh.git('status', '--porcelain')).toBe('?? added.txt\n?? notes.txt\n');
    } finally {
      fresh.cleanup();
    }
  });
});

describe('pruneCheckpointRefs', () => {
  it('deletes refs whose run is gone from the database, and orphans, and keeps the rest', async () => {
    const kept = insertRun(db, repo.root);
    const gone = insertRun(db, repo.root);
    for (const [i, runId] of [kept, gone].entries()) {
      const cp = await checkpointerFor(db, repo, runId);
      await cp.ensureSnapshot();
      repo.write(`src/run${i}.txt`, `${i}\n`);
      await cp.finish();
    }
    repo.git('update-ref', 'refs/baton/checkpoints/r_orphan', 'HEAD');
    db.prepare('DELETE FROM runs WHERE id = ?').run(gone);

    expect(await pruneCheckpointRefs(db, repo.root)).toBe(2);
    expect(
      refs()
        .split('\n')
        .map((l) => l.split(' ')[0]),
    ).toEqual([`refs/baton/checkpoints/${kept}`]);
    expect(await pruneCheckpointRefs(db, repo.root)).toBe(0);
  });
});

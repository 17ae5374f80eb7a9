/** Outside a git repository baton works: checkpoints are no-ops that say once that undo is unavailable. */
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BATON_BIN, runBaton } from '../support/cli.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { checkpointerFor, collectNotices, insertRun, openHomeDb } from './helpers.js';
import { pruneCheckpointRefs } from '../../src/git/prune.js';

let dir: TempRepo;
beforeEach(() => {
  dir = makeTempRepo({ 'notes.txt': 'plain folder\n' }, { git: false });
});
afterEach(() => dir.cleanup());

describe('outside a git repository', () => {
  it('checkpointers do nothing and say once per process that undo is unavailable', async () => {
    const db = openHomeDb(dir);
    try {
      const notices = collectNotices();
      for (let i = 0; i < 2; i++) {
        const cp = await checkpointerFor(db, dir, insertRun(db, dir.root), notices);
        expect(cp.available).toBe(false);
        await cp.ensureSnapshot();
        await cp.ensureSnapshot();
        expect(await cp.finish()).toBeNull();
        expect(await cp.autoCommit({ prompt: 'x' })).toEqual({ status: 'skipped', reason: 'not a git repository: undo is unavailable here' });
      }
      expect(notices.messages).toEqual(['not a git repository: undo is unavailable here']);
      expect(await pruneCheckpointRefs(db, dir.root)).toBe(0);
      expect(db.prepare('SELECT count(*) FROM checkpoints').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('baton undo says so in one line, exit 2', async () => {
    if (!existsSync(BATON_BIN)) throw new Error('build first: npm run build');
    const r = await runBaton(['undo'], { cwd: dir.root, home: dir.home });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'baton: not a git repository: undo is unavailable here\n']);
  });
});

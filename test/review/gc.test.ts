import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.js';
import { expectUsageError, seededProject, type Seeded } from './fixture.js';

/** Rows that mention a run, in every table that hangs off runs. */
function rowsOf(db: Db, runId: string): Record<string, number> {
  const count = (sql: string) => db.prepare(sql).pluck().get(runId) as number;
  return {
    runs: count('SELECT count(*) FROM runs WHERE id = ?'),
    decisions: count('SELECT count(*) FROM decisions WHERE run_id = ?'),
    agent_calls: count('SELECT count(*) FROM agent_calls WHERE run_id = ?'),
    tool_calls: count('SELECT count(*) FROM tool_calls WHERE run_id = ?'),
    analyses: count('SELECT count(*) FROM analyses WHERE run_id = ?'),
    search_docs: count('SELECT count(*) FROM search_docs WHERE ref = ?'),
  };
}

describe('baton gc', () => {
  let s: Seeded;
  beforeEach(() => {
    s = seededProject();
  });
  afterEach(() => s.repo.cleanup());

  it('--dry-run lists what would go and changes nothing', async () => {
    const res = await s.baton('gc', '--older-than', '90d', '--dry-run');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^would delete 1 run in .* 1 thread left empty, no lessons \(1 written by these runs are kept; add --lessons/);
    expect(res.stdout).toContain('migrate the ancient build scripts');
    expect(res.stdout).toMatch(/nothing was deleted \(--dry-run\)/);
    const db = openDatabase(s.data.dbPath);
    expect(rowsOf(db, s.data.runs.old)).toEqual({ runs: 1, decisions: 1, agent_calls: 1, tool_calls: 1, analyses: 1, search_docs: 3 });
    db.close();
  });

  it('deletes old runs with all their rows, their emptied thread and checkpoint refs, keeps lessons, and vacuums', async () => {
    // Checkpoints of the old run and of a kept one, as the git safety net records them.
    const head = s.repo.git('rev-parse', 'HEAD').trim();
    for (const run of [s.data.runs.old, s.data.runs.plan]) s.repo.git('update-ref', `refs/baton/checkpoints/${run}`, head);
    const res = await s.baton('gc', '--older-than', '90d');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^deleted 1 run in .*, 1 thread, no lessons, 1 checkpoint ref; database [\d.]+ MB → [\d.]+ MB$/m);
    expect(s.repo.git('for-each-ref', '--format=%(refname)', 'refs/baton/').trim()).toBe(`refs/baton/checkpoints/${s.data.runs.plan}`);
    const db = openDatabase(s.data.dbPath);
    try {
      expect(rowsOf(db, s.data.runs.old)).toEqual({ runs: 0, decisions: 0, agent_calls: 0, tool_calls: 0, analyses: 0, search_docs: 0 });
      expect(db.prepare('SELECT count(*) FROM threads WHERE id = ?').pluck().get(s.data.threads.old)).toBe(0);
      expect(db.prepare('SELECT count(*) FROM messages WHERE thread_id = ?').pluck().get(s.data.threads.old)).toBe(0);
      // the lesson it wrote stays, still searchable
      expect(db.prepare('SELECT run_id FROM lessons WHERE id = ?').pluck().get(s.data.lessons.fromOld)).toBe(s.data.runs.old);
      expect(db.prepare(`SELECT count(*) FROM search_index WHERE search_index MATCH '"ancient"'`).pluck().get()).toBe(0);
      expect(db.prepare(`SELECT count(*) FROM search_index WHERE search_index MATCH '"migrating"'`).pluck().get()).toBe(1);
      // everything newer is intact and consistent
      expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(6);
      expect(rowsOf(db, s.data.runs.plan).tool_calls).toBe(4);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT count(*) FROM search_docs').pluck().get()).toBe(db.prepare('SELECT count(*) FROM search_index').pluck().get());
    } finally {
      db.close();
    }
    const again = await s.baton('gc', '--older-than', '90d');
    expect(again.stdout).toMatch(/^nothing to delete: no runs started before/);
  });

  it('with --lessons also deletes the lessons those runs wrote; --all-projects reaches other projects', async () => {
    const res = await s.baton('gc', '--older-than', '12h', '--lessons', '--all-projects');
    // everything but the waiting run (1h old) and nothing running
    expect(res.stdout).toMatch(/^deleted 6 runs in all projects .*, 2 threads, 2 lessons, 0 checkpoint refs;/m);
    const db = openDatabase(s.data.dbPath);
    try {
      expect(db.prepare('SELECT id FROM runs').pluck().all()).toEqual([s.data.runs.waiting]);
      expect(db.prepare('SELECT id FROM lessons ORDER BY id').pluck().all()).toEqual([s.data.lessons.used]); // written by no run
      expect(db.prepare('SELECT count(*) FROM lesson_uses').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM feedback').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM threads WHERE id = ?').pluck().get(s.data.threads.main)).toBe(1); // still has a run
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('requires a valid --older-than', async () => {
    expectUsageError(await s.baton('gc', '--older-than', 'ninety days'), /--older-than takes an age like 30m, 12h, 7d, 2w or a date/);
    const missing = await s.baton('gc');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--older-than <age>' not specified/);
  });
});

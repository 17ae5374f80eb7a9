import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { recordFeedback } from '../../src/learning/feedback.js';
import { addLessons, applyLessonOps } from '../../src/learning/lessons.js';
import { learningContext } from '../../src/learning/retrieval.js';
import { patternStats } from '../../src/learning/outcomes.js';
import { openDatabase } from '../../src/store/db.js';
import { runBaton } from '../support/cli.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { insertRun, PROJECT, tempDb, type TempDb } from '../orchestrator/helpers.js';

let t: TempDb;
beforeEach(() => (t = tempDb()));
afterEach(() => t.cleanup());

const weights = () => t.db.prepare('SELECT id, weight FROM lessons ORDER BY id').all() as { id: number; weight: number }[];

/** Run `rated` produced one lesson and used another; a third lesson is unrelated. */
function seed() {
  const rated = insertRun(t.db, { status: 'completed', pattern: 'direct' });
  const [produced] = addLessons(t.db, PROJECT, rated, 'direct', ['Produced by the rated run']).added;
  const [used] = addLessons(t.db, PROJECT, insertRun(t.db), null, ['Used by the rated run']).added;
  const [other] = addLessons(t.db, PROJECT, insertRun(t.db), null, ['Unrelated']).added;
  t.db.prepare('INSERT INTO lesson_uses (lesson_id, run_id) VALUES (?, ?)').run(used, rated);
  return { rated, produced: produced!, used: used!, other: other! };
}

describe('recordFeedback', () => {
  it('stores the verdict, moves lesson weights and feeds the statistics', () => {
    const { rated, produced, used, other } = seed();
    const good = recordFeedback(t.db, rated, 'good', '  nice work ');
    expect(good).toMatchObject({ runId: rated, verdict: 'good', previous: undefined });
    expect(good.lessons.map((l) => [l.id, l.before, l.after])).toEqual([
      [produced, 1, 1.5],
      [used, 1, 1.5],
    ]);
    expect(t.db.prepare('SELECT verdict, note FROM feedback').all()).toEqual([{ verdict: 'good', note: 'nice work' }]);
    expect(patternStats(t.db, PROJECT)[0]).toMatchObject({ pattern: 'direct', good: 1, bad: 0 });

    // The same verdict again changes nothing.
    expect(recordFeedback(t.db, rated, 'good').lessons).toEqual([]);
    expect(weights().find((w) => w.id === produced)!.weight).toBe(1.5);

    // Changing one's mind takes the old verdict back first.
    const bad = recordFeedback(t.db, rated, 'bad', 'it broke the build');
    expect(bad.previous).toBe('good');
    expect(bad.lessons.map((l) => [l.id, l.before, l.after])).toEqual([
      [produced, 1.5, 0.5],
      [used, 1.5, 0.75],
    ]);
    expect(weights()).toEqual([
      { id: produced, weight: 0.5 },
      { id: used, weight: 0.75 },
      { id: other, weight: 1 },
    ]);
    expect(patternStats(t.db, PROJECT)[0]).toMatchObject({ good: 0, bad: 1, successes: 0 });
    // Flipping back restores the weights of a single good exactly.
    recordFeedback(t.db, rated, 'good');
    expect(weights().slice(0, 2)).toEqual([
      { id: produced, weight: 1.5 },
      { id: used, weight: 1.5 },
    ]);
  });

  it('applies bad to the lessons the run reinforced or reworded, not only to those it added', () => {
    const first = insertRun(t.db, { status: 'completed', pattern: 'direct' });
    const [reinforcedId] = addLessons(t.db, PROJECT, first, 'direct', ['Run the database migrations in a review loop']).added;
    const [editedId] = addLessons(t.db, PROJECT, first, 'direct', ['Explain the cache layer before changing it']).added;
    const rated = insertRun(t.db, { status: 'completed', pattern: 'direct' });
    applyLessonOps(t.db, {
      projectPath: PROJECT,
      runId: rated,
      pattern: 'direct',
      prompt: 'x',
      ops: [
        { op: 'add', text: 'Run the database migrations in a review-loop' }, // near-duplicate: a reinforcement
        { op: 'edit', id: editedId, text: 'Read the cache layer code before changing it' },
      ],
    });
    expect(weights()).toEqual([
      { id: reinforcedId, weight: 1.5 },
      { id: editedId, weight: 1 },
    ]);
    recordFeedback(t.db, rated, 'bad');
    expect(weights()).toEqual([
      { id: reinforcedId, weight: 1 },
      { id: editedId, weight: 0.5 },
    ]);
    // The first run's own verdict is its own: it does not move what the rated run did.
    expect(recordFeedback(t.db, first, 'good').lessons.map((l) => l.id)).toEqual([reinforcedId, editedId]);
  });

  it('reaches lessons the analysis writes after the verdict, once', () => {
    const rated = insertRun(t.db, { status: 'completed', pattern: 'direct', prompt: 'add yen formatting' });
    // Feedback comes first: stored at once, with nothing to apply yet.
    expect(recordFeedback(t.db, rated, 'bad', 'used the wrong symbol').lessons).toEqual([]);
    expect(t.db.prepare('SELECT verdict FROM feedback WHERE run_id = ?').all(rated)).toEqual([{ verdict: 'bad' }]);
    const { added } = addLessons(t.db, PROJECT, rated, 'direct', ['Currency symbols come from src/money.ts']);
    expect(weights()).toEqual([{ id: added[0], weight: 0.5 }]);
    // Re-applying (another analysis of the run, the same verdict again) changes nothing.
    addLessons(t.db, PROJECT, rated, 'direct', ['Currency symbols come from src/money.ts']);
    recordFeedback(t.db, rated, 'bad');
    expect(weights()).toEqual([{ id: added[0], weight: 0.5 }]);
  });

  it('brings its note to later related decisions only', () => {
    const rated = insertRun(t.db, { status: 'completed', pattern: 'direct', prompt: 'format the prices in euro' });
    recordFeedback(t.db, rated, 'bad', 'the euro sign must follow the amount in German');
    const related = learningContext(t.db, PROJECT, 'show prices in euro on the invoice page');
    expect(related.notes).toEqual([
      { runId: rated, verdict: 'bad', note: 'the euro sign must follow the amount in German', prompt: 'format the prices in euro' },
    ]);
    expect(related.tokens).toBeGreaterThan(0);
    expect(learningContext(t.db, PROJECT, 'speed up the build').notes).toEqual([]);
  });

  it('does not count a run without an analysis or verdict as a success', () => {
    insertRun(t.db, { status: 'completed', pattern: 'direct' });
    const analysed = insertRun(t.db, { status: 'completed', pattern: 'direct' });
    t.db.prepare("INSERT INTO analyses (run_id, outcome, summary, signals_json, created_at) VALUES (?, 'success', 'ok', '{}', 0)").run(analysed);
    const rated = insertRun(t.db, { status: 'completed', pattern: 'direct' });
    recordFeedback(t.db, rated, 'good');
    expect(patternStats(t.db, PROJECT)[0]).toMatchObject({ runs: 3, successes: 2, failures: 0, unjudged: 1 });
  });

  it('resolves a unique prefix and refuses unknown or ambiguous ids with exit code 2', () => {
    const a = insertRun(t.db, { id: 'r_abc111', status: 'completed' });
    insertRun(t.db, { id: 'r_abc222', status: 'completed' });
    expect(recordFeedback(t.db, 'r_abc1', 'bad').runId).toBe(a);
    for (const [id, message] of [
      ['r_abc', /ambiguous/],
      ['r_zzz', /no run "r_zzz"/],
    ] as const) {
      const err = (() => {
        try {
          recordFeedback(t.db, id, 'good');
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).exitCode).toBe(2);
      expect((err as UserError).message).toMatch(message);
    }
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM feedback').get()).toEqual({ n: 1 });
  });
});

describe('baton feedback', () => {
  let repo: TempRepo;
  beforeEach(() => (repo = makeTempRepo()));
  afterEach(() => repo.cleanup());

  it('rates a run from the command line in one line, and explains bad input', async () => {
    const dbPath = join(repo.home, 'baton.db');
    const db = openDatabase(dbPath);
    const runId = insertRun(db, { project: repo.root, status: 'completed', pattern: 'direct' });
    addLessons(db, repo.root, runId, 'direct', ['A lesson of this run']);
    db.close();

    const ok = await runBaton(['feedback', runId.slice(0, 12), 'bad', 'wrong', 'file'], { cwd: repo.root, home: repo.home });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe(`Recorded bad feedback for ${runId}; 1 lesson reweighted.\n`);
    expect(ok.code).toBe(0);
    const check = openDatabase(dbPath);
    expect(check.prepare('SELECT verdict, note FROM feedback').all()).toEqual([{ verdict: 'bad', note: 'wrong file' }]);
    expect(check.prepare('SELECT weight FROM lessons').all()).toEqual([{ weight: 0.5 }]);
    check.close();

    const unknown = await runBaton(['feedback', 'r_nope', 'good'], { cwd: repo.root, home: repo.home });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('baton: no run "r_nope" (see baton history)\n');

    const verdict = await runBaton(['feedback', runId, 'meh'], { cwd: repo.root, home: repo.home });
    expect(verdict.code).toBe(2);
    expect(verdict.stderr).toMatch(/'meh' is invalid for argument 'verdict'\. Allowed choices are good, bad/);
    expect(verdict.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

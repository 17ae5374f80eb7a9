import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addLessons, adjustLessonWeights, ftsQuery, relevantLessons } from '../../src/learning/lessons.js';
import { insertRun, PROJECT, tempDb, type TempDb } from '../orchestrator/helpers.js';

let t: TempDb;
beforeEach(() => (t = tempDb()));
afterEach(() => t.cleanup());

const weight = (id: number | undefined) => (t.db.prepare('SELECT weight FROM lessons WHERE id = ?').get(id) as { weight: number }).weight;

describe('ftsQuery', () => {
  it('turns any text into a query FTS5 accepts', () => {
    const run = insertRun(t.db);
    addLessons(t.db, PROJECT, run, 'direct', ['Quote "everything" - AND use NOT * carefully']);
    const weird = ['"', '-', '*', 'AND', 'OR NOT', 'NEAR(a b)', 'a"b', '(((', 'col:val', "'; DROP TABLE lessons; --", '🙂', '', '   ', 'x^2 + y*'];
    for (const text of weird) {
      expect(() => relevantLessons(t.db, PROJECT, text), text).not.toThrow();
    }
    expect(ftsQuery('"')).toBeNull();
    expect(ftsQuery('AND the OR')).toBeNull(); // only stopwords
    expect(ftsQuery('Fix "parser" -bug*')).toBe('"fix" OR "parser" OR "bug"');
  });

  it('matches whole words through the porter stemmer', () => {
    const run = insertRun(t.db);
    const { added } = addLessons(t.db, PROJECT, run, 'review-loop', ['Reviewers should run the tests before approving']);
    const other = addLessons(t.db, PROJECT, run, 'direct', ['Documentation questions need only an explorer']).added;
    const found = relevantLessons(t.db, PROJECT, 'please review and test my change', 1);
    expect(found.map((l) => l.id)).toEqual(added);
    expect(found.map((l) => l.id)).not.toEqual(other);
  });
});

describe('relevantLessons', () => {
  it('ranks by relevance and weight, keeps projects apart, hides weight <= 0', () => {
    const run = insertRun(t.db);
    const [a] = addLessons(t.db, PROJECT, run, null, ['Run npm test after editing the parser']).added;
    const [b] = addLessons(t.db, PROJECT, run, null, ['The parser has golden files; update them with npm run golden']).added;
    const [hidden] = addLessons(t.db, PROJECT, run, null, ['Parser edits never need tests']).added;
    addLessons(t.db, '/projects/other', insertRun(t.db, { project: '/projects/other' }), null, ['Parser work in another project']);
    t.db.prepare('UPDATE lessons SET weight = 0 WHERE id = ?').run(hidden);

    const ids = relevantLessons(t.db, PROJECT, 'change the parser', 5).map((l) => l.id);
    expect(ids.sort()).toEqual([a, b].sort());

    // Weight decides between equally relevant lessons.
    t.db.prepare('UPDATE lessons SET weight = 3 WHERE id = ?').run(b);
    expect(relevantLessons(t.db, PROJECT, 'parser', 1)[0]!.id).toBe(b);
    t.db.prepare('UPDATE lessons SET weight = 3 WHERE id = ?').run(a);
    t.db.prepare('UPDATE lessons SET weight = 0.2 WHERE id = ?').run(b);
    expect(relevantLessons(t.db, PROJECT, 'parser', 1)[0]!.id).toBe(a);
  });

  it('fills up with the strongest other lessons of the project when few match', () => {
    const run = insertRun(t.db);
    const [match] = addLessons(t.db, PROJECT, run, null, ['Run the linter before committing']).added;
    const [strong] = addLessons(t.db, PROJECT, run, null, ['Always use review-loop for database migrations']).added;
    const [weak] = addLessons(t.db, PROJECT, run, null, ['Explain answers briefly']).added;
    t.db.prepare('UPDATE lessons SET weight = 2 WHERE id = ?').run(strong);
    t.db.prepare('UPDATE lessons SET weight = 0.5 WHERE id = ?').run(weak);
    expect(relevantLessons(t.db, PROJECT, 'linter errors', 2).map((l) => l.id)).toEqual([match, strong]);
    expect(relevantLessons(t.db, '/projects/empty', 'linter', 5)).toEqual([]);
  });
});

describe('addLessons', () => {
  it('raises the weight of a near-identical lesson instead of duplicating it', () => {
    const r1 = insertRun(t.db);
    const r2 = insertRun(t.db);
    const first = addLessons(t.db, PROJECT, r1, 'direct', ['Run  npm test before answering.', '', '   ']);
    expect(first.added).toHaveLength(1);
    const again = addLessons(t.db, PROJECT, r2, 'direct', ['run npm test before answering', 'A new lesson', 'A NEW LESSON.']);
    expect(again.reinforced).toEqual(first.added);
    expect(again.added).toHaveLength(1);
    expect(weight(first.added[0]!)).toBe(1.5);
    const rows = t.db.prepare('SELECT text, run_id FROM lessons WHERE project = ? ORDER BY id').all(PROJECT);
    expect(rows).toEqual([
      { text: 'Run npm test before answering.', run_id: r1 },
      { text: 'A new lesson', run_id: r2 },
    ]);
    // The same text in another project is another lesson.
    expect(addLessons(t.db, '/projects/other', insertRun(t.db, { project: '/projects/other' }), null, ['A new lesson']).added).toHaveLength(1);
    // Each lesson is searchable.
    expect(relevantLessons(t.db, PROJECT, 'answering', 1)[0]!.id).toBe(first.added[0]);
  });
});

describe('adjustLessonWeights', () => {
  it('moves lessons a run produced and used, clamped, and can take a verdict back', () => {
    const producer = insertRun(t.db);
    const user = insertRun(t.db);
    const [produced] = addLessons(t.db, PROJECT, producer, null, ['Lesson from the producer']).added;
    const [used] = addLessons(t.db, PROJECT, insertRun(t.db), null, ['Lesson used by the user run']).added;
    const [untouched] = addLessons(t.db, PROJECT, insertRun(t.db), null, ['Unrelated lesson']).added;
    t.db.prepare('INSERT INTO lesson_uses (lesson_id, run_id) VALUES (?, ?), (?, ?)').run(used, user, produced, user);

    const bad = adjustLessonWeights(t.db, user, 'bad');
    expect(bad.map((c) => [c.id, c.before, c.after])).toEqual([
      [produced, 1, 0.75],
      [used, 1, 0.75],
    ]);
    adjustLessonWeights(t.db, producer, 'bad');
    expect(weight(produced)).toBe(0.25);
    adjustLessonWeights(t.db, producer, 'bad', -1);
    expect(weight(produced)).toBe(0.75);
    for (let i = 0; i < 10; i++) adjustLessonWeights(t.db, producer, 'good');
    expect(weight(produced)).toBe(3);
    for (let i = 0; i < 20; i++) adjustLessonWeights(t.db, producer, 'bad');
    expect(weight(produced)).toBe(-1);
    expect(weight(untouched)).toBe(1);
  });
});

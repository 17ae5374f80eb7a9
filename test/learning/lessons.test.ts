import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addLessons, applyLessonOps, relevantLessons } from '../../src/learning/lessons.js';
import { learningContext, rankLessons } from '../../src/learning/retrieval.js';
import { similarity } from '../../src/learning/text.js';
import { insertRun, PROJECT, tempDb, type TempDb } from '../orchestrator/helpers.js';

let t: TempDb;
beforeEach(() => (t = tempDb()));
afterEach(() => t.cleanup());

const weight = (id: number | undefined) => (t.db.prepare('SELECT weight FROM lessons WHERE id = ?').get(id) as { weight: number }).weight;
const setWeight = (id: number | undefined, w: number) => t.db.prepare('UPDATE lessons SET weight = ? WHERE id = ?').run(w, id);
const lesson = (text: string, o: { prompt?: string; keywords?: string[]; project?: string } = {}) =>
  addLessons(t.db, o.project ?? PROJECT, insertRun(t.db, { project: o.project ?? PROJECT }), null, [text], o).added[0]!;

describe('retrieval', () => {
  it('accepts any text as a request', () => {
    lesson('Quote "everything" - AND use NOT * carefully');
    const weird = ['"', '-', '*', 'AND', 'OR NOT', 'NEAR(a b)', 'a"b', '(((', 'col:val', "'; DROP TABLE lessons; --", '🙂', '', '   ', 'x^2 + y*'];
    for (const text of weird) expect(() => learningContext(t.db, PROJECT, text), text).not.toThrow();
    expect(relevantLessons(t.db, PROJECT, 'AND the OR')).toEqual([]); // only stop words
  });

  it('matches stems, synonyms, keywords and the prompt a lesson came from', () => {
    const review = lesson('Reviewers should run the tests before approving');
    const docs = lesson('Documentation questions need only an explorer');
    const flaky = lesson('The e2e suite has timing races: rerun once before blaming a change', { keywords: ['flaky'] });
    const yen = lesson('Format amounts with Intl.NumberFormat', { prompt: 'show euro prices with the right currency symbol' });
    expect(relevantLessons(t.db, PROJECT, 'please review and test my change', 1).map((l) => l.id)).toEqual([review]);
    expect(relevantLessons(t.db, PROJECT, 'where is the readme?', 1).map((l) => l.id)).toEqual([docs]); // readme ~ documentation
    expect(relevantLessons(t.db, PROJECT, 'some checks fail intermittently', 1).map((l) => l.id)).toEqual([flaky]); // keyword + synonym
    expect(relevantLessons(t.db, PROJECT, 'display the price in yen', 1).map((l) => l.id)).toEqual([yen]); // its prompt
  });

  it('uses the thread context for follow-ups', () => {
    const yen = lesson('Currency symbols come from src/money.ts; never hard-code them');
    lesson('Keep commits small');
    expect(relevantLessons(t.db, PROJECT, 'do the same for yen')).toEqual([]);
    expect(relevantLessons(t.db, PROJECT, 'do the same for yen', 5, 'assistant: I added the euro currency symbol').map((l) => l.id)).toEqual([yen]);
  });

  it('ranks by relevance times weight, keeps projects apart, hides weight <= 0', () => {
    const a = lesson('Run npm test after editing the parser');
    const b = lesson('The parser has golden files; update them with npm run golden');
    const hidden = lesson('Parser edits never need tests');
    lesson('Parser work in another project', { project: '/projects/other' });
    setWeight(hidden, 0);
    expect(
      relevantLessons(t.db, PROJECT, 'change the parser', 5)
        .map((l) => l.id)
        .sort(),
    ).toEqual([a, b].sort());
    setWeight(b, 1.5);
    setWeight(a, 0.5);
    expect(relevantLessons(t.db, PROJECT, 'parser', 1)[0]!.id).toBe(b);
    setWeight(a, 1.5);
    setWeight(b, 0.5);
    expect(relevantLessons(t.db, PROJECT, 'parser', 1)[0]!.id).toBe(a);
  });

  it('does not present unmatched lessons as related, however strong', () => {
    const match = lesson('Run the linter before committing');
    const strong = lesson('Always use review-loop for database migrations');
    setWeight(strong, 3);
    const ranked = rankLessons(t.db, PROJECT, 'linter errors');
    expect(ranked.map((l) => [l.id, l.related])).toEqual([
      [match, true],
      [strong, false],
    ]);
    const context = learningContext(t.db, PROJECT, 'linter errors');
    expect(context.lessons.map((l) => l.id)).toEqual([match, strong]); // all fit: all shown, related first
    expect(learningContext(t.db, '/projects/empty', 'linter').lessons).toEqual([]);
  });

  it('shows every lesson while they fit the budget, past it the most relevant first, pinned always', () => {
    const ids: number[] = [];
    const words = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango'.split(' ');
    for (let i = 0; i < 20; i++) {
      const [x, y, z] = [words[i % 20], words[(i * 7 + 3) % 20], words[(i * 11 + 5) % 20]];
      ids.push(lesson(`${x}${i} keeps ${y}${i * 3} beside ${z}${i * 5}: check q${i}`));
    }
    const target = lesson('Database migrations need a review-loop with the schema tests');
    const pinned = ids[3]!;
    t.db.prepare('UPDATE lessons SET pinned = 1 WHERE id = ?').run(pinned);
    const all = learningContext(t.db, PROJECT, 'add a database migration', { budgetTokens: 100_000 });
    expect(all.lessons).toHaveLength(21);
    expect(all.lessons[0]!.id).toBe(target);
    const small = learningContext(t.db, PROJECT, 'add a database migration', { budgetTokens: 200 });
    expect(small.tokens).toBeLessThanOrEqual(200);
    expect(small.lessons.length).toBeLessThan(21);
    expect(small.lessons.map((l) => l.id)).toContain(target);
    expect(small.lessons.map((l) => l.id)).toContain(pinned);
    expect(small.total).toBe(21);
  });
});

describe('consolidation', () => {
  it('turns a near-duplicate add into a reinforcement', () => {
    expect(similarity('Run npm test before answering.', 'run npm test before answering')).toBe(1);
    expect(similarity('Run npm test before answering', 'Document the public API')).toBeLessThan(0.2);
    const r1 = insertRun(t.db);
    const r2 = insertRun(t.db);
    const first = addLessons(t.db, PROJECT, r1, 'direct', ['Run  npm test before answering.', '', '   ']);
    expect(first.added).toHaveLength(1);
    const again = addLessons(t.db, PROJECT, r2, 'direct', ['run the npm tests before answering', 'A new lesson about caching', 'A NEW LESSON about caching.']);
    expect(again.reinforced).toEqual(first.added);
    expect(again.added).toHaveLength(1);
    expect(weight(first.added[0]!)).toBe(1.5);
    expect(t.db.prepare('SELECT text, run_id FROM lessons WHERE project = ? ORDER BY id').all(PROJECT)).toEqual([
      { text: 'Run npm test before answering.', run_id: r1 },
      { text: 'A new lesson about caching', run_id: r2 },
    ]);
    expect(t.db.prepare('SELECT reinforced FROM lessons WHERE id = ?').get(first.added[0])).toEqual({ reinforced: 1 });
    expect(t.db.prepare('SELECT run_id, op FROM lesson_sources WHERE lesson_id = ? ORDER BY created_at, op').all(first.added[0])).toEqual([
      { run_id: r1, op: 'add' },
      { run_id: r2, op: 'reinforce' },
    ]);
    // The same text in another project is another lesson.
    expect(addLessons(t.db, '/projects/other', insertRun(t.db, { project: '/projects/other' }), null, ['A new lesson about caching']).added).toHaveLength(1);
  });

  it('applies edit, reinforce and weaken to shown lessons only, once per run', () => {
    const a = lesson('Use plan-execute for multi-file refactors');
    const b = lesson('The explorer is enough for questions');
    const c = lesson('Never run the slow e2e suite');
    const run = insertRun(t.db, { prompt: 'rename the config loader' });
    const r = applyLessonOps(t.db, {
      projectPath: PROJECT,
      runId: run,
      pattern: 'plan-execute',
      prompt: 'rename the config loader',
      shownIds: new Set([a, b]),
      ops: [
        { op: 'edit', id: a, text: 'Use plan-execute for refactors touching more than two files', keywords: ['rename', 'restructure'] },
        { op: 'reinforce', id: a }, // already edited by this run
        { op: 'weaken', id: b },
        { op: 'weaken', id: b },
        { op: 'reinforce', id: c }, // not shown
        { op: 'reinforce', id: 9999 },
        { op: 'edit', id: b }, // no text
        { op: 'add', text: 'Rename through the language server, not sed', keywords: ['refactor'] },
      ],
    });
    expect(r.edited).toEqual([a]);
    expect(r.weakened).toEqual([b]);
    expect(r.reinforced).toEqual([]);
    expect(r.added).toHaveLength(1);
    expect(r.ignored).toBe(5);
    expect(t.db.prepare('SELECT text, keywords, weight FROM lessons WHERE id = ?').get(a)).toEqual({
      text: 'Use plan-execute for refactors touching more than two files',
      keywords: 'rename restructure',
      weight: 1,
    });
    expect(weight(b)).toBe(0.5);
    expect(weight(c)).toBe(1);
    expect(t.db.prepare('SELECT keywords, prompt FROM lessons WHERE id = ?').get(r.added[0])).toEqual({
      keywords: 'refactor',
      prompt: 'rename the config loader',
    });
    // The edit is searchable under its new words in `baton search` too.
    expect(t.db.prepare("SELECT count(*) AS n FROM search_index WHERE search_index MATCH 'touching'").get()).toEqual({ n: 1 });
  });
});

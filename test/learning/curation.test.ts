import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addLessons } from '../../src/learning/lessons.js';
import { recordFeedback } from '../../src/learning/feedback.js';
import { learningContext } from '../../src/learning/retrieval.js';
import { openDatabase } from '../../src/store/db.js';
import { runBaton } from '../support/cli.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { insertRun } from '../orchestrator/helpers.js';

let repo: TempRepo;
beforeEach(() => (repo = makeTempRepo()));
afterEach(() => repo.cleanup());

describe('baton lessons', () => {
  it('lists weight, uses and source runs, as text and JSON, and pins, edits and deletes', async () => {
    const dbPath = join(repo.home, 'baton.db');
    const db = openDatabase(dbPath);
    const run = insertRun(db, { project: repo.root, status: 'completed', pattern: 'direct' });
    const [a] = addLessons(db, repo.root, run, 'direct', ['Run npm test after editing the parser'], { keywords: ['grammar'] }).added;
    const [b] = addLessons(db, repo.root, insertRun(db, { project: repo.root }), null, ['Documentation questions need only an explorer']).added;
    recordFeedback(db, run, 'good');
    db.close();
    const baton = (...args: string[]) => runBaton(args, { cwd: repo.root, home: repo.home });

    const text = await baton('lessons');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`#${a}  weight 1.50, used 0×, feedback +1/-0; from ${run}\n    Run npm test after editing the parser\n    keywords: grammar`);
    const json = JSON.parse((await baton('lessons', '--json')).stdout) as { id: number; weight: number; sourceRuns: string[]; pinned: boolean }[];
    expect(json.map((l) => [l.id, l.weight, l.sourceRuns])).toEqual([
      [a, 1.5, [run]],
      [b, 1, [expect.any(String)]],
    ]);

    expect((await baton('lessons', 'pin', String(b))).stdout).toBe(`Pinned lesson #${b}.\n`);
    expect((await baton('lessons', 'edit', String(a), 'Run', 'npm', 'test', 'after', 'grammar', 'edits')).stdout).toBe(
      `Lesson #${a} now reads: Run npm test after grammar edits\n`,
    );
    const check = openDatabase(dbPath);
    // A pinned lesson is shown even when it does not match and the budget is tiny.
    expect(learningContext(check, repo.root, 'speed up the build', { budgetTokens: 1 }).lessons.map((l) => l.id)).toEqual([b]);
    check.close();
    expect((await baton('lessons', 'delete', String(b))).stdout).toBe(`Deleted lesson #${b}.\n`);
    const missing = await baton('lessons', 'delete', String(b));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`baton: no lesson "${b}" in this project (see baton lessons)\n`);
    const after = JSON.parse((await baton('lessons', '--json')).stdout) as { id: number; text: string }[];
    expect(after.map((l) => [l.id, l.text])).toEqual([[a, 'Run npm test after grammar edits']]);
  });
});

import { describe, expect, it } from 'vitest';
import { addLessons } from '../../src/learning/lessons.js';
import { revise } from '../../src/orchestrator/revise.js';
import type { Decision } from '../../src/patterns/decision.js';
import { insertRun, PROJECT, sentText, useFakeApiAndDb } from '../orchestrator/helpers.js';

const env = useFakeApiAndDb();
const previous: Decision = {
  pattern: 'review-loop',
  agents: [{ role: 'coder', instructions: 'Add the CSV export.' }],
  reasoning: 'Checkable.',
  expectations: 'npm test passes',
  lessonsUsed: [],
  confidence: 0.6,
};

describe('revisions and lessons', () => {
  it('shows a revision the lessons, and credits the ones it used', async () => {
    const [lesson] = addLessons(env.db, PROJECT, insertRun(env.db), 'review-loop', ['CSV exports need a header row test in test/export']).added;
    const runId = insertRun(env.db, { prompt: 'add CSV export' });
    env.fake.setScript([{ json: { action: 'continue', reasoning: 'The lesson says to test the header.', confidence: 0.7, lessonsUsed: [lesson, 12345] } }]);
    const r = await revise({
      db: env.db,
      client: env.client(),
      runId,
      model: 'claude-haiku-5-5',
      previous,
      delta: 'review round 1: rejected, header row missing',
    });
    expect(sentText(env.fake.journal[0]!.body)).toContain(
      `<lessons>\nRelated to this request, most relevant first:\n#${lesson}: CSV exports need a header row test`,
    );
    expect(r!.decision.lessonsUsed).toEqual([lesson]);
    expect(env.db.prepare('SELECT lesson_id FROM lesson_uses WHERE run_id = ?').pluck().all(runId)).toEqual([lesson]);
  });
});

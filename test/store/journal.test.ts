/** The journal writes a run through the store's own functions and reads it back the same way. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyUsage } from '../../src/core/usage.js';
import { openJournal, type Journal } from '../../src/store/journal.js';
import { createThread } from '../../src/store/threads.js';
import { PROJECT, tempDb, type TempDb } from '../orchestrator/helpers.js';

const options = { model: 'claude-sonnet-5-5', orchestratorModel: 'claude-haiku-5-5', permissionMode: 'ask' as const };

let t: TempDb;
let journal: Journal;
beforeEach(() => {
  t = tempDb();
  journal = openJournal(t.db);
});
afterEach(() => t.cleanup());

function newRun() {
  const thread = createThread(t.db, PROJECT);
  return journal.createRun({ threadId: thread.id, project: PROJECT, prompt: 'add a flag', options });
}

const decision = (kind: 'initial' | 'revision', lessonsUsed: number[] = []) => ({
  kind,
  pattern: 'direct',
  decisionJson: '{}',
  reasoning: 'small edit',
  confidence: 0.8,
  model: 'claude-haiku-5-5',
  usage: { ...emptyUsage(), inputTokens: 100 },
  costUsd: 0.001,
  durationMs: 5,
  lessonsUsed,
});

describe('journal', () => {
  it('numbers a run\u2019s decisions and counts its revisions', () => {
    const run = newRun();
    const first = journal.insertDecision({ runId: run.id, ...decision('initial', [999]) });
    const second = journal.insertDecision({ runId: run.id, ...decision('revision') });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(journal.runDecisions(run.id).map((d) => [d.id, d.kind])).toEqual([
      [first.id, 'initial'],
      [second.id, 'revision'],
    ]);
    expect(journal.revisionCount(run.id)).toBe(1);
    // An unknown lesson id is skipped, not a foreign-key failure.
    expect(t.db.prepare('SELECT COUNT(*) FROM lesson_uses').pluck().get()).toBe(0);
  });

  it('keeps plan steps, questions and the waiting state of a run', () => {
    const run = newRun();
    journal.insertPlanSteps(run.id, [
      { title: 'one', instructions: 'do one', params: {} },
      { title: 'two', instructions: 'do two', params: { name: null } },
    ]);
    journal.updatePlanStep(run.id, 1, { status: 'completed', output: 'done' });
    expect(journal.planSteps(run.id).map((s) => [s.idx, s.status, s.output])).toEqual([
      [1, 'completed', 'done'],
      [2, 'pending', null],
    ]);

    const q = journal.insertQuestion({ runId: run.id, question: 'Which name?', options: ['a', 'b'] });
    journal.setRunStatus(run.id, 'waiting_user');
    expect(journal.waitingRunOfThread(run.thread_id)).toEqual({ id: run.id, prompt: 'add a flag' });
    expect(journal.pendingQuestion(run.id)?.id).toBe(q.id);
    journal.answerQuestion(q.id, 'a');
    expect(journal.pendingQuestion(run.id)).toBeUndefined();
    expect(journal.runQuestions(run.id).map((x) => x.answer)).toEqual(['a']);

    journal.finishRun(run.id, 'completed', 'ok', undefined);
    expect(journal.waitingRunOfThread(run.thread_id)).toBeUndefined();
    expect(journal.getRun(run.id)).toMatchObject({ status: 'completed', result: 'ok' });
  });
});

import type { RunHooks } from '../core/run.js';
import type { Db } from '../store/db.js';
import { answerQuestion, questionOptions, type QuestionRow } from '../store/questions.js';
import { setRunStatus } from '../store/runs.js';

/**
 * Puts a stored question to the user. The run is `waiting_user` on disk before the question is
 * shown; a front end that can ask answers it in-process (the run goes on), otherwise this returns
 * undefined and the run waits for `baton answer`. An already answered question returns its answer.
 */
export async function askStoredQuestion(db: Db, hooks: RunHooks, q: QuestionRow): Promise<string | undefined> {
  if (q.answer !== null) return q.answer;
  const options = questionOptions(q);
  setRunStatus(db, q.run_id, 'waiting_user');
  hooks.emit({ type: 'question.asked', runId: q.run_id, questionId: q.id, question: q.question, options });
  if (!hooks.askUser) return undefined;
  const answer = await hooks.askUser({ runId: q.run_id, questionId: q.id, question: q.question, options });
  answerQuestion(db, q.id, answer);
  setRunStatus(db, q.run_id, 'running');
  hooks.emit({ type: 'question.answered', runId: q.run_id, questionId: q.id, answer });
  return answer;
}

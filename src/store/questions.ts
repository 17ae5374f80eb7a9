import * as z from '../core/zod.js';
import { newId } from '../core/ids.js';
import { parseStored } from './json.js';
import { now, type Db } from './db.js';

export interface QuestionRow {
  id: string;
  run_id: string;
  agent_call_id: string | null;
  tool_call_id: string | null;
  question: string;
  options_json: string | null;
  answer: string | null;
  asked_at: number;
  answered_at: number | null;
}

export function insertQuestion(
  db: Db,
  q: { runId: string; agentCallId?: string | undefined; toolCallId?: string | undefined; question: string; options?: string[] | undefined },
): QuestionRow {
  const row: QuestionRow = {
    id: newId('q'),
    run_id: q.runId,
    agent_call_id: q.agentCallId ?? null,
    tool_call_id: q.toolCallId ?? null,
    question: q.question,
    options_json: q.options?.length ? JSON.stringify(q.options) : null,
    answer: null,
    asked_at: now(),
    answered_at: null,
  };
  db.prepare(
    `INSERT INTO questions (id, run_id, agent_call_id, tool_call_id, question, options_json, asked_at)
     VALUES (@id, @run_id, @agent_call_id, @tool_call_id, @question, @options_json, @asked_at)`,
  ).run(row);
  return row;
}

const StoredOptions = z.array(z.string());

export const questionOptions = (q: QuestionRow): string[] | undefined =>
  q.options_json ? parseStored(StoredOptions, q.options_json, `the options of question ${q.id}`) : undefined;

export function pendingQuestion(db: Db, runId: string): QuestionRow | undefined {
  return db.prepare('SELECT * FROM questions WHERE run_id = ? AND answer IS NULL ORDER BY asked_at DESC LIMIT 1').get(runId) as QuestionRow | undefined;
}

export function questionByToolCall(db: Db, toolCallId: string): QuestionRow | undefined {
  return db.prepare('SELECT * FROM questions WHERE tool_call_id = ?').get(toolCallId) as QuestionRow | undefined;
}

export function runQuestions(db: Db, runId: string): QuestionRow[] {
  return db.prepare('SELECT * FROM questions WHERE run_id = ? ORDER BY asked_at, rowid').all(runId) as QuestionRow[];
}

export function answerQuestion(db: Db, id: string, answer: string): void {
  db.prepare('UPDATE questions SET answer = ?, answered_at = ? WHERE id = ?').run(answer, now(), id);
}

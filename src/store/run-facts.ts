/** What the store recorded about one run, in the shape the post-run analysis measures it. */
import type { Db } from './db.js';

export interface AgentFact {
  role: string;
  label: string | null;
  status: string;
  retries: number;
  result: string | null;
}

export interface ToolFact {
  name: string;
  input_json: string;
  status: string;
  output: string | null;
  is_error: number;
}

export interface RunFacts {
  agents: AgentFact[];
  tools: ToolFact[];
  questions: { asked: number; answered: number };
  /** Files the checkpointer recorded as changed by the run. */
  files: string[];
}

export function runFacts(db: Db, runId: string): RunFacts {
  return {
    agents: db.prepare('SELECT role, label, status, retries, result FROM agent_calls WHERE run_id = ? ORDER BY started_at, rowid').all(runId) as AgentFact[],
    tools: db.prepare('SELECT name, input_json, status, output, is_error FROM tool_calls WHERE run_id = ? ORDER BY started_at, rowid').all(runId) as ToolFact[],
    questions: db.prepare('SELECT COUNT(*) AS asked, COUNT(answer) AS answered FROM questions WHERE run_id = ?').get(runId) as RunFacts['questions'],
    files: db.prepare('SELECT path FROM run_files WHERE run_id = ? ORDER BY path').pluck().all(runId) as string[],
  };
}

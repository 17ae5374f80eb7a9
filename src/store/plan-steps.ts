import { now, type Db } from './db.js';

export type PlanStepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped';

export interface PlanStepRow {
  run_id: string;
  idx: number;
  title: string;
  instructions: string;
  params_json: string;
  status: PlanStepStatus;
  agent_call_id: string | null;
  output: string | null;
  started_at: number | null;
  finished_at: number | null;
}

export function planSteps(db: Db, runId: string): PlanStepRow[] {
  return db.prepare('SELECT * FROM plan_steps WHERE run_id = ? ORDER BY idx').all(runId) as PlanStepRow[];
}

export function insertPlanSteps(db: Db, runId: string, steps: { title: string; instructions: string; params: Record<string, unknown> }[]): void {
  const insert = db.prepare("INSERT INTO plan_steps (run_id, idx, title, instructions, params_json, status) VALUES (?, ?, ?, ?, ?, 'pending')");
  db.transaction(() => steps.forEach((s, i) => insert.run(runId, i + 1, s.title, s.instructions, JSON.stringify(s.params)))).immediate();
}

export function updatePlanStep(
  db: Db,
  runId: string,
  idx: number,
  fields: { status: PlanStepStatus; agentCallId?: string | undefined; output?: string | undefined; params?: Record<string, unknown> | undefined },
): void {
  const final = fields.status !== 'pending' && fields.status !== 'running';
  db.prepare(
    `UPDATE plan_steps SET status = ?, agent_call_id = COALESCE(?, agent_call_id), output = COALESCE(?, output),
     params_json = COALESCE(?, params_json), started_at = COALESCE(started_at, ?), finished_at = ? WHERE run_id = ? AND idx = ?`,
  ).run(
    fields.status,
    fields.agentCallId ?? null,
    fields.output ?? null,
    fields.params ? JSON.stringify(fields.params) : null,
    now(),
    final ? now() : null,
    runId,
    idx,
  );
}

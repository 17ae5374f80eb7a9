import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/patterns/decision.js';
import { MAX_REVISIONS, revise } from '../../src/orchestrator/revise.js';
import { decisionRows, insertRun, sentText, useFakeApiAndDb } from './helpers.js';

const MODEL = 'claude-haiku-5-5';
const previous: Decision = {
  pattern: 'review-loop',
  agents: [
    { role: 'coder', instructions: 'Implement the CSV export.' },
    { role: 'reviewer', instructions: 'Run npm test.' },
  ],
  reasoning: 'Checkable change.',
  expectations: 'npm test passes',
  lessonsUsed: [4],
  confidence: 0.6,
  params: { maxRounds: 3 },
};

const env = useFakeApiAndDb();

describe('revise', () => {
  it('sends only the request, the plan and the delta, and records each action', async () => {
    const runId = insertRun(env.db, { prompt: 'add CSV export' });
    env.fake.setScript([
      { json: { action: 'continue', reasoning: 'One rejection is normal.', confidence: 0.6 } },
      {
        json: {
          action: 'change',
          reasoning: 'The coder is lost; plan it.',
          confidence: 0.5,
          pattern: 'plan-execute',
          agents: [{ role: 'planner', instructions: 'Plan the CSV export.' }],
        },
      },
      { json: { action: 'stop', reasoning: 'Good enough.', confidence: 0.9 } },
    ]);
    const client = env.client();
    const delta = 'review round 1: rejected — missing header row';

    const r1 = await revise({ db: env.db, client, runId, model: MODEL, previous, delta });
    expect(r1).toMatchObject({
      kind: 'revision',
      seq: 1,
      decision: { ...previous, action: 'continue', reasoning: 'One rejection is normal.', lessonsUsed: [] },
    });
    const sent = sentText(env.fake.journal[0]!.body);
    expect(sent).toContain('<request>\nadd CSV export\n</request>');
    expect(sent).toContain(delta);
    expect(sent).toContain('"pattern":"review-loop"');
    expect(sent).not.toContain('Checkable change.'); // the old reasoning is not resent

    const r2 = await revise({ db: env.db, client, runId, model: MODEL, previous, delta: 'review round 2: rejected' });
    expect(r2!.decision).toMatchObject({ action: 'change', pattern: 'plan-execute', agents: [{ role: 'planner' }], expectations: 'npm test passes' });

    const r3 = await revise({ db: env.db, client, runId, model: MODEL, previous: r2!.decision, delta: 'plan step 1 completed' });
    expect(r3!.decision).toMatchObject({ action: 'stop', pattern: 'plan-execute' });

    const rows = decisionRows(env.db, runId);
    expect(rows.map((r) => [r.seq, r.kind, r.pattern, JSON.parse(r.decision_json).action])).toEqual([
      [1, 'revision', 'review-loop', 'continue'],
      [2, 'revision', 'plan-execute', 'change'],
      [3, 'revision', 'plan-execute', 'stop'],
    ]);
    for (const r of rows) expect(r.output_tokens).toBeGreaterThan(0);
  });

  it(`stops at ${MAX_REVISIONS} revisions per run, failed attempts included`, async () => {
    const runId = insertRun(env.db);
    env.fake.setScript([
      { fault: 'http', status: 500 },
      { json: { action: 'change', reasoning: 'no target', confidence: 0.5 } }, // invalid: change without pattern/agents
      { json: { action: 'continue', reasoning: 'ok', confidence: 0.5 } },
    ]);
    const client = env.client();
    const args = { db: env.db, client, runId, model: MODEL, previous, delta: 'agent failed' };

    const failed = await revise(args);
    expect(failed).toMatchObject({ kind: 'revision', decision: { action: 'continue', pattern: 'review-loop', agents: previous.agents } });
    expect(failed!.fallbackCause).toMatch(/^API error/);
    const invalid = await revise(args);
    expect(invalid!.fallbackCause).toMatch(/^invalid output: - agents: action "change" needs a new pattern or agents/);
    expect((await revise(args))!.decision.action).toBe('continue');

    expect(await revise(args)).toBeNull();
    expect(env.fake.journal).toHaveLength(3);
    const rows = decisionRows(env.db, runId);
    expect(rows.map((r) => r.fallback_cause !== null)).toEqual([true, true, false]);
  });
});

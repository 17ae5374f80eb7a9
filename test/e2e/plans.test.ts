import { describe, expect, it } from 'vitest';
import { routeBy, textReply, type FakeRoute } from '../support/fake-api.js';
import { useE2e } from '../support/e2e.js';
import { decision, isDecision, isRevision, isRole } from '../support/routes.js';

const e2e = useE2e();

function script(planner: FakeRoute['replies'], coder: FakeRoute['replies']) {
  e2e.fake.setScript(
    routeBy({
      decision: {
        when: isDecision,
        replies: [
          decision('plan-execute', [
            { role: 'planner', instructions: 'plan it' },
            { role: 'coder', instructions: 'do the steps' },
          ]),
        ],
      },
      revision: { when: isRevision, replies: [{ json: { action: 'continue', reasoning: 'go on without a plan', confidence: 0.6 } }] },
      planner: { when: isRole('planner'), replies: planner },
      coder: { when: isRole('coder'), replies: coder },
    }),
  );
  return e2e.baton(['-p', 'do the two things']);
}
const rows = <T>(sql: string): T[] => e2e.query<T>(sql);

describe('plans', () => {
  it('a json plan with trailing commas, followed by a bash block, is read; the prompt states the limits', async () => {
    const reply =
      'Plan:\n```json\n{"steps": [\n {"title": "one", "instructions": "do one",},\n {"title": "two", "instructions": "do two", "params": {},},\n],}\n```\nVerify with:\n```bash\nnpm test\n```';
    const r = await script([textReply(reply)], [textReply('did one'), textReply('did two')]);
    expect(r.code).toBe(0);
    expect(rows('SELECT idx, title, status FROM plan_steps ORDER BY idx')).toEqual([
      { idx: 1, title: 'one', status: 'completed' },
      { idx: 2, title: 'two', status: 'completed' },
    ]);
    const plannerRequest = JSON.stringify(e2e.fake.journal.find((j) => j.kind === 'planner')!.body);
    expect(plannerRequest).toContain('At most 12 steps');
    expect(e2e.fake.journal.filter((j) => j.kind === 'planner')).toHaveLength(1); // no repair turn needed
  });

  it('a plan that cannot be read: the repair turn is told where, then the run falls back to direct (announced)', async () => {
    const broken = '```json\n{"steps": [ {"title": "one" "instructions": "x"} ]}\n```';
    const r = await script([textReply(broken), textReply(broken)], [textReply('done directly')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('done directly');
    expect(r.stderr).toMatch(/baton: planning failed \(.*\); falling back to direct/);
    const repair = JSON.stringify(e2e.fake.journal.filter((j) => j.kind === 'planner')[1]!.body);
    expect(repair).toMatch(/does not parse: .*position \d+ \(line 1, column \d+\)/);
    expect(e2e.fake.journal.filter((j) => j.kind === 'revision')).toHaveLength(1);
    const coderRequest = JSON.stringify(e2e.fake.journal.find((j) => j.kind === 'coder')!.body);
    expect(coderRequest).toContain('do the two things');
    expect(rows('SELECT status FROM runs')).toEqual([{ status: 'completed' }]);
    expect(rows('SELECT label, status FROM agent_calls ORDER BY started_at')).toEqual([
      { label: 'plan', status: 'failed' },
      { label: 'direct', status: 'completed' },
    ]);
  });
});

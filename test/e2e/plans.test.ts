/**
 * Plans end to end: the planner's reply as models really write it (a json block followed by a
 * "verify with" block, trailing commas), and a planning failure that no longer fails the run.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBaton } from '../support/cli.js';
import { routeBy, startFakeApi, textReply, type FakeApi, type FakeRoute } from '../support/fake-api.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { decision, isDecision, isRevision, isRole } from '../support/routes.js';

let fake: FakeApi;
let repo: TempRepo;
beforeEach(async () => {
  fake = await startFakeApi();
  repo = makeTempRepo();
});
afterEach(async () => {
  await fake.close();
  repo.cleanup();
});

function script(planner: FakeRoute['replies'], coder: FakeRoute['replies']) {
  fake.setScript(
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
  return runBaton(['-p', 'do the two things'], {
    cwd: repo.root,
    home: repo.home,
    env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, BATON_ANALYSIS: 'off', BATON_RETRY_BASE_MS: '5' },
  });
}
const rows = <T>(sql: string): T[] => {
  const db = new Database(join(repo.home, 'baton.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
};

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
    const plannerRequest = JSON.stringify(fake.journal.find((j) => j.kind === 'planner')!.body);
    expect(plannerRequest).toContain('At most 12 steps');
    expect(fake.journal.filter((j) => j.kind === 'planner')).toHaveLength(1); // no repair turn needed
  });

  it('a plan that cannot be read: the repair turn is told where, then the run falls back to direct (announced)', async () => {
    const broken = '```json\n{"steps": [ {"title": "one" "instructions": "x"} ]}\n```';
    const r = await script([textReply(broken), textReply(broken)], [textReply('done directly')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('done directly');
    expect(r.stderr).toMatch(/baton: planning failed \(.*\); falling back to direct/);
    const repair = JSON.stringify(fake.journal.filter((j) => j.kind === 'planner')[1]!.body);
    expect(repair).toMatch(/does not parse: .*position \d+ \(line 1, column \d+\)/);
    expect(fake.journal.filter((j) => j.kind === 'revision')).toHaveLength(1);
    const coderRequest = JSON.stringify(fake.journal.find((j) => j.kind === 'coder')!.body);
    expect(coderRequest).toContain('do the two things');
    expect(rows('SELECT status FROM runs')).toEqual([{ status: 'completed' }]);
    expect(rows('SELECT label, status FROM agent_calls ORDER BY started_at')).toEqual([
      { label: 'plan', status: 'failed' },
      { label: 'direct', status: 'completed' },
    ]);
  });
});

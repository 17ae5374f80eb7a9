import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { renderRunDetail } from '../../src/cli/review/show.js';
import * as session from '../../src/cli/review/render.js';
import { expectUsageError, Fixture, seededProject, type Seeded } from './fixture.js';

describe('baton show', () => {
  let s: Seeded;
  beforeAll(() => {
    s = seededProject();
  });
  afterAll(() => s.repo.cleanup());

  it('shows the whole OrchestrationContext of a run given by a unique prefix, as a timeline in 80 columns', async () => {
    const res = await s.baton('show', s.data.runs.plan.slice(0, 12));
    expect(res.code).toBe(0);
    const out = res.stdout;
    for (const line of out.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(out).toMatch(new RegExp(`^run ${s.data.runs.plan} · completed · partial · 1m40s`));
    // cost split: workers 0.02+0.05+0.03, decisions 0.003+0.001, analysis 0.002
    expect(out).toContain('$0.1060 = workers $0.1000 + decisions $0.0040 + analysis $0.0020');
    expect(out).toContain('add a --json flag to the export command and document it');
    // both decisions in order, with reasoning, expectations, the lesson used, the team and its parameters
    expect(out).toMatch(/decision 1 initial → plan-execute · confidence 0\.72/);
    expect(out).toMatch(/reasoning\s+Touches the exporter, its tests and the README/);
    expect(out).toMatch(/expects\s+export --json prints valid JSON; tests pass/);
    expect(out).toMatch(new RegExp(`lesson\\s+#${s.data.lessons.used} Run the narrow parser test file first`));
    expect(out).toMatch(/agent\s+planner \(effort medium, max 15 turns\): Plan the --json flag/);
    expect(out.indexOf('decision 1')).toBeLessThan(out.indexOf('decision 2 revision'));
    // agent calls with lifecycle, duration, retries, plan step and their tool calls, nested
    expect(out).toMatch(/planner · completed · 20\.0s · 7\.8k tok · \$0\.0200\n/);
    expect(out).toMatch(/coder \(step 1\) · completed · 40\.0s · 7\.8k tok · \$0\.0500 · 1 retry/);
    expect(out).toMatch(/step\s+1: implement --json in the exporter \(completed\)/);
    expect(out).toMatch(/│ {2}├─ \+32\.0s edit_file src\/export\.ts · 40ms/);
    expect(out).toMatch(/bash npm test · 8\.0s · error: exit 1: 2 tests failed/);
    expect(out).toMatch(/question · answered "lines" after 5\.0s/);
    expect(out).toMatch(/asked\s+Should --json print one array or JSON lines\?/);
    expect(out).toMatch(/options\s+array \| lines/);
    expect(out).toMatch(/└─ \+1m40s run completed/);
    expect(out).toMatch(/analysis partial · 950 tok · \$0\.0020\n\s+The flag works but one snapshot test/);
    expect(out).toMatch(/signals: 2 agent calls, 3 tool calls, tests run 1× \(passed\), files changed:\s+src\/a\.ts/);
    expect(out).toMatch(new RegExp(`lessons written\\n\\s+#${s.data.lessons.fromPlan} The exporter snapshot tests`));
  });

  it('shows feedback, and without an id the latest run of this project', async () => {
    const d1 = await s.baton('show', s.data.runs.d1);
    expect(d1.stdout).toMatch(/feedback\n\s+good "exactly right" \(\d+d ago\)/);
    const latest = await s.baton('show');
    expect(latest.stdout).toMatch(new RegExp(`^run ${s.data.runs.waiting} · waiting_user`));
    expect(latest.stdout).toMatch(/question · unanswered/);
    expect(latest.stdout).toMatch(/now run still waiting_user/);
  });

  it('lists the runs of a thread given by prefix', async () => {
    const res = await s.baton('show', s.data.threads.main.slice(0, 13));
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^thread ${s.data.threads.main} parser work`));
    expect(res.stdout).toMatch(/5 runs/);
    const order = ['off-by-one', 'rename parseThing', 'trailing commas', 'add a --json flag', 'tidy up the exporter'].map((p) => res.stdout.indexOf(p));
    expect([...order].sort((a, b) => a - b)).toEqual(order); // oldest first
    const json = JSON.parse((await s.baton('show', s.data.threads.main, '--json')).stdout) as { runs: { id: string }[] };
    expect(json.runs.map((r) => r.id)).toEqual([s.data.runs.d1, s.data.runs.d2, s.data.runs.d3, s.data.runs.plan, s.data.runs.waiting]);
  });

  it('answers an ambiguous or unknown id with one line and exit 2', async () => {
    expectUsageError(await s.baton('show', 'r_'), /^baton: "r_" is ambiguous: it starts r_\w+, r_\w+, r_\w+ and more; type more characters$/);
    expectUsageError(await s.baton('show', 'r_zzzz'), /^baton: no run or thread id starts with "r_zzzz"/);
    expectUsageError(await s.baton('show', 'nonsense'), /^baton: no run or thread id starts with "nonsense"/);
  });

  it('prints the run record as JSON: parsed decisions, agent calls with tool calls, questions, analysis, lessons', async () => {
    const res = await s.baton('show', s.data.runs.plan, '--json');
    const j = JSON.parse(res.stdout);
    expect(j.run).toMatchObject({
      id: s.data.runs.plan,
      status: 'completed',
      outcome: 'partial',
      model: 'claude-sonnet-5-5',
      orchestratorModel: 'claude-haiku-5-5',
    });
    expect(j.cost.totalUsd).toBeCloseTo(0.106, 10);
    expect(j.cost.workersUsd).toBeCloseTo(0.1, 10);
    expect(j.decisions).toHaveLength(2);
    expect(j.decisions[0].decision).toMatchObject({
      pattern: 'plan-execute',
      agents: [{ role: 'planner', effort: 'medium', maxTurns: 15 }],
      lessonsUsed: [s.data.lessons.used],
      confidence: 0.72,
    });
    expect(j.agentCalls.map((a: { role: string }) => a.role)).toEqual(['planner', 'coder', 'coder']);
    expect(j.agentCalls[1].toolCalls.map((t: { name: string; isError: boolean }) => [t.name, t.isError])).toEqual([
      ['edit_file', false],
      ['bash', true],
    ]);
    expect(j.agentCalls[1].toolCalls[1].input).toEqual({ command: 'npm test' });
    expect(j.questions[0]).toMatchObject({ options: ['array', 'lines'], answer: 'lines' });
    expect(j.planSteps.map((p: { title: string }) => p.title)).toEqual(['implement --json in the exporter', 'document --json in the README']);
    expect(j.analysis).toMatchObject({ outcome: 'partial', signals: { testsPassed: true, filesChanged: ['src/a.ts'] } });
    expect(j.lessonsUsed.map((l: { id: number }) => l.id)).toEqual([s.data.lessons.used]);
    expect(j.lessonsProduced.map((l: { id: number }) => l.id)).toEqual([s.data.lessons.fromPlan]);
  });

  it('still shows a run whose stored decision cannot be read (renderRunDetail, as /why uses it)', () => {
    const db = openDatabase(s.data.dbPath);
    try {
      const f = new Fixture(db, Date.now());
      const thread = f.thread(s.repo.root, Date.now());
      const run = f.run({ thread, project: s.repo.root, prompt: 'odd old row', pattern: 'direct', status: 'completed', at: Date.now(), durationMs: 1000 });
      f.decision(run, { seq: 1, pattern: 'direct', reasoning: 'Reasoning kept in its column.', at: Date.now(), rawJson: '{"agents": "not a list"' });
      const text = renderRunDetail(db, run, { width: 80 });
      expect(text).toMatch(/reasoning\s+Reasoning kept in its column\./);
      expect(text).toMatch(/note\s+the stored decision could not be read/);
    } finally {
      db.close();
    }
  });

  it('gives the interactive session the same views for /history, /why and /stats', () => {
    const db = openDatabase(s.data.dbPath);
    try {
      const history = session.renderHistory(db, s.repo.root, { limit: 2 });
      expect(history.split('\n')[0]).toMatch(/^RUN\s+AGE\s+PATTERN/);
      expect(history).toContain('tidy up the exporter error messages');
      expect(history).not.toContain('off-by-one'); // limit 2
      const why = session.renderRunDetail(db, s.data.runs.d3);
      expect(why).toMatch(/reasoning\s+A small request \(3\): one coder is enough\./);
      expect(why).toMatch(/error\s+bash: npm test exited 1/);
      expect(session.renderStats(db, s.repo.root, {})).toMatch(/^direct\s+\d+\s+67%/m); // 2 of 3 analysed runs succeeded
      // colour only when asked for (a TTY without NO_COLOR)
      expect(history).not.toMatch(/\x1b\[/);
      expect(session.renderHistory(db, s.repo.root, { limit: 2, color: true })).toContain('\x1b[33mwaiting\x1b[39m');
    } finally {
      db.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError, seededProject, type Seeded } from './fixture.js';

interface PatternJson {
  pattern: string;
  runs: number;
  analysed: number;
  successes: number;
  successRate: number | null;
  finished: number;
  meanDurationMs: number | null;
  p90DurationMs: number | null;
  meanCostUsd: number;
  meanTokens: number;
  feedback: { good: number; bad: number; balance: number };
}

/**
 * A strict reader of the Prometheus text format 0.0.4: every sample belongs to the family whose
 * HELP and TYPE came just before it, families appear once, names and label sets are well formed.
 */
function parseExposition(text: string): Map<string, { type: string; samples: { name: string; labels: Record<string, string>; value: number }[] }> {
  expect(text.endsWith('\n')).toBe(true);
  const families = new Map<string, { type: string; samples: { name: string; labels: Record<string, string>; value: number }[] }>();
  let current: string | undefined;
  let help: string | undefined;
  for (const line of text.trimEnd().split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line))) {
      expect(families.has(m[1]!), `family ${m[1]} repeated`).toBe(false);
      help = m[1];
    } else if ((m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary|histogram|untyped)$/.exec(line))) {
      expect(m[1]).toBe(help);
      current = m[1]!;
      families.set(current, { type: m[2]!, samples: [] });
    } else if ((m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line))) {
      const family = families.get(current!)!;
      const allowed = family.type === 'summary' ? [current, `${current}_sum`, `${current}_count`] : [current];
      expect(allowed, line).toContain(m[1]);
      const labels: Record<string, string> = {};
      for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
      family.samples.push({ name: m[1]!, labels, value: Number(m[3]) });
    } else throw new Error(`not exposition format: ${JSON.stringify(line)}`);
  }
  return families;
}

describe('baton stats', () => {
  let s: Seeded;
  beforeAll(() => {
    s = seededProject();
  });
  afterAll(() => s.repo.cleanup());

  it('computes per-pattern figures from known runs (success 2/3, mean and p90 duration, cost with analysis)', async () => {
    const res = await s.baton('stats', '--json');
    expect(res.code).toBe(0);
    const j = JSON.parse(res.stdout) as {
      runs: number;
      patterns: PatternJson[];
      roles: { role: string; calls: number; failures: number; retries: number }[];
      cost: { totalUsd: number; orchestratorUsd: number; workersUsd: number; orchestratorShare: number };
      scope: { project: string | null; since: string | null };
    };
    expect(j.scope).toEqual({ project: s.repo.root, since: null });
    expect(j.runs).toBe(6);
    const direct = j.patterns.find((p) => p.pattern === 'direct')!;
    expect(direct).toMatchObject({ runs: 3, analysed: 3, successes: 2, finished: 3, meanDurationMs: 20_000, p90DurationMs: 30_000 });
    expect(direct.successRate).toBeCloseTo(2 / 3, 10);
    expect(direct.meanCostUsd).toBeCloseTo(0.013, 10);
    expect(direct.meanTokens).toBeCloseTo(1200 + 7800 + 950, 6);
    expect(direct.feedback).toEqual({ good: 1, bad: 1, balance: 0 });
    const waiting = j.patterns.find((p) => p.pattern === 'review-loop')!;
    expect(waiting).toMatchObject({ runs: 1, analysed: 0, successRate: null, finished: 0, meanDurationMs: null, p90DurationMs: null });
    expect(j.patterns.map((p) => p.pattern)[0]).toBe('direct'); // most runs first

    expect(j.roles.find((r) => r.role === 'coder')).toMatchObject({ calls: 6, failures: 1, retries: 3 });
    expect(j.roles.find((r) => r.role === 'planner')).toMatchObject({ calls: 1, failures: 0, retries: 0 });
    // decisions 0.014 + analyses 0.006 of runs 0.164 + analyses 0.006
    expect(j.cost.orchestratorUsd).toBeCloseTo(0.02, 10);
    expect(j.cost.totalUsd).toBeCloseTo(0.17, 10);
    expect(j.cost.workersUsd).toBeCloseTo(0.15, 10);
    expect(j.cost.orchestratorShare).toBeCloseTo(0.02 / 0.17, 10);
  });

  it('prints the same figures as aligned text in 80 columns', async () => {
    const res = await s.baton('stats');
    const lines = res.stdout.trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(lines[0]).toBe(`${s.repo.root} · 6 runs · $0.1700 in all`);
    expect(res.stdout).toMatch(/^direct\s+3\s+67%\s+20\.0s\s+30\.0s\s+\$0\.0130\s+9\.9k\s+\+1\/-1$/m);
    expect(res.stdout).toMatch(/^review-loop\s+1\s+-\s+-\s+-/m);
    expect(res.stdout).toMatch(/^coder\s+6\s+1\s+3\s/m);
    expect(res.stdout).toMatch(/orchestrator \$0\.0200 of \$0\.1700 \(12%\) for decisions and post-run analyses;\s+workers \$0\.1500/);
  });

  it('narrows to --since and widens to --all-projects', async () => {
    const recent = JSON.parse((await s.baton('stats', '--since', '7d', '--json')).stdout) as { runs: number; patterns: PatternJson[] };
    expect(recent.runs).toBe(5);
    expect(recent.patterns.map((p) => p.pattern)).not.toContain('clarify');
    const all = JSON.parse((await s.baton('stats', '--all-projects', '--json')).stdout) as { runs: number; patterns: PatternJson[] };
    expect(all.runs).toBe(7);
    expect(all.patterns.find((p) => p.pattern === 'parallel')).toMatchObject({ runs: 1, successes: 1 });
    expectUsageError(await s.baton('stats', '--since', '7 days'), /--since takes an age/);
  });

  it('exposes the figures in valid Prometheus text format', async () => {
    const res = await s.baton('stats', '--format', 'prometheus');
    expect(res.code).toBe(0);
    const families = parseExposition(res.stdout);
    const sample = (family: string, labels: Record<string, string>, name = family) =>
      families.get(family)!.samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v))?.value;
    const project = s.repo.root;
    expect(families.get('baton_runs')!.type).toBe('gauge');
    expect(sample('baton_runs', { project, pattern: 'direct' })).toBe(3);
    expect(sample('baton_run_outcomes', { pattern: 'direct', outcome: 'failure' })).toBe(1);
    expect(sample('baton_run_success_ratio', { pattern: 'direct' })).toBeCloseTo(2 / 3, 10);
    expect(families.get('baton_run_duration_seconds')!.type).toBe('summary');
    expect(sample('baton_run_duration_seconds', { pattern: 'direct', quantile: '0.9' })).toBe(30);
    expect(sample('baton_run_duration_seconds', { pattern: 'direct' }, 'baton_run_duration_seconds_sum')).toBe(60);
    expect(sample('baton_run_duration_seconds', { pattern: 'direct' }, 'baton_run_duration_seconds_count')).toBe(3);
    expect(sample('baton_feedback', { pattern: 'direct', verdict: 'bad' })).toBe(1);
    expect(sample('baton_agent_call_retries', { role: 'coder' })).toBe(3);
    expect(sample('baton_orchestrator_cost_share', {})).toBeCloseTo(0.02 / 0.17, 10);
    // No sample for a ratio that does not exist (review-loop has no analysed run).
    expect(sample('baton_run_success_ratio', { pattern: 'review-loop' })).toBeUndefined();
  });
});

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { runBaton } from '../support/cli.js';
import { makeTempRepo } from '../support/repo.js';
import { expectUsageError, seededProject, type Seeded } from './fixture.js';

describe('baton history', () => {
  let s: Seeded;
  beforeAll(() => {
    s = seededProject();
  });
  afterAll(() => s.repo.cleanup());

  it("lists this project's runs newest first, in 80 columns, with prompt, pattern, status, outcome, cost and feedback", async () => {
    const res = await s.baton('history');
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+AGE\s+PATTERN\s+STATUS\s+OUTCOME\s+TIME\s+TOKENS\s+COST\s+FB$/);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    const text = res.stdout;
    // Newest first: the waiting run, the plan, then d3, d2, d1, then the 120-day-old run.
    const order = ['tidy up the exporter', 'add a --json flag', 'trailing commas', 'rename parseThing', 'off-by-one', 'ancient build scripts'].map((p) =>
      text.indexOf(p),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).not.toContain('survey the parser modules'); // another project
    const d1Row = lines[lines.findIndex((l) => l.includes('off-by-one')) - 1]!;
    expect(d1Row).toMatch(/direct\s+completed\s+success\s+10\.0s\s+\S+\s+\$0\.0130\s+\+1$/); // 0.002 + 0.01 + analysis 0.001
    const d3Row = lines[lines.findIndex((l) => l.includes('trailing commas')) - 1]!;
    expect(d3Row).toMatch(/direct\s+failed\s+failure\s+30\.0s\s+.*-1$/);
    expect(lines[1]).toMatch(/review-loop\s+waiting\s+-\s+-/);
  });

  it('filters by status, pattern, since and limit, and spans projects with --all-projects', async () => {
    const failed = await s.baton('history', '--status', 'failed');
    expect(failed.stdout).toContain('trailing commas');
    expect(failed.stdout.trimEnd().split('\n')).toHaveLength(3);

    const plan = await s.baton('history', '--pattern', 'plan-execute', '--json');
    expect((JSON.parse(plan.stdout) as { id: string }[]).map((r) => r.id)).toEqual([s.data.runs.plan]);

    const recent = JSON.parse((await s.baton('history', '--since', '30d', '--json')).stdout) as { id: string }[];
    expect(recent.map((r) => r.id)).not.toContain(s.data.runs.old);
    expect(recent).toHaveLength(5);

    const limited = JSON.parse((await s.baton('history', '--limit', '2', '--json')).stdout) as { id: string }[];
    expect(limited.map((r) => r.id)).toEqual([s.data.runs.waiting, s.data.runs.plan]);

    const all = await s.baton('history', '--all-projects');
    expect(all.stdout).toContain('other-project: survey the parser modules');
  });

  it('prints stable JSON with ISO times, token buckets and cost including the analysis', async () => {
    const res = await s.baton('history', '--json', '--pattern', 'direct', '--status', 'completed');
    const runs = JSON.parse(res.stdout) as Record<string, unknown>[];
    const d1 = runs.find((r) => r.id === s.data.runs.d1)!;
    expect(d1).toMatchObject({
      threadId: s.data.threads.main,
      project: s.repo.root,
      prompt: 'fix the off-by-one in the tokenizer',
      pattern: 'direct',
      status: 'completed',
      outcome: 'success',
      error: null,
      durationMs: 10_000,
      tokens: { input: 1000 + 5000 + 800, output: 200 + 800 + 150, cacheRead: 2000, cacheWrite: 0 },
      feedback: { good: 1, bad: 0 },
    });
    expect(d1.costUsd).toBeCloseTo(0.013, 10);
    expect(d1.analysisCostUsd).toBeCloseTo(0.001, 10);
    expect(new Date(d1.startedAt as string).toISOString()).toBe(d1.startedAt);
  });

  it('says in one line when a filter matches nothing, and rejects bad flags with exit 2', async () => {
    const none = await s.baton('history', '--pattern', 'no-such-pattern');
    expect(none.code).toBe(0);
    expect(none.stdout.trim()).toMatch(/^no runs match/);

    expectUsageError(await s.baton('history', '--since', 'last tuesday'), /--since takes an age like 30m, 12h, 7d, 2w or a date/);
    const limit = await s.baton('history', '--limit', '0');
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/--limit/);
    const status = await s.baton('history', '--status', 'done');
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/Allowed choices are running, waiting_user/);
  });
});

describe('review commands on missing, empty and newer databases', () => {
  it('say in one line that nothing is recorded yet (exit 2) and do not create a database', async () => {
    const repo = makeTempRepo();
    try {
      for (const args of [['history'], ['stats'], ['show', 'r_x'], ['search', 'parser'], ['report']]) {
        expectUsageError(await runBaton(args, { cwd: repo.root, home: repo.home }), /^baton: nothing recorded yet \(no database at .*baton\.db\)/);
      }
      const gc = await runBaton(['gc', '--older-than', '90d'], { cwd: repo.root, home: repo.home });
      expect(gc.code).toBe(0);
      expect(gc.stdout).toMatch(/nothing to delete/);
      expect(() => new Database(join(repo.home, 'baton.db'), { fileMustExist: true })).toThrow();

      openDatabase(join(repo.home, 'baton.db')).close(); // an initialised but empty database
      for (const args of [['history'], ['stats', '--json'], ['search', 'x'], ['show', 'r_1']]) {
        expectUsageError(await runBaton(args, { cwd: repo.root, home: repo.home }), /^baton: nothing recorded yet: .*baton\.db has no runs/);
      }
    } finally {
      repo.cleanup();
    }
  });

  it('tell a project with no runs from an empty database', async () => {
    const s = seededProject();
    const elsewhere = makeTempRepo();
    try {
      const res = await runBaton(['history'], { cwd: elsewhere.root, home: s.repo.home });
      expectUsageError(res, /^baton: no runs recorded for .* yet; add --all-projects/);
      const all = await runBaton(['history', '--all-projects'], { cwd: elsewhere.root, home: s.repo.home });
      expect(all.code).toBe(0);
      expect(all.stdout).toContain('off-by-one');
    } finally {
      s.repo.cleanup();
      elsewhere.cleanup();
    }
  });

  it('refuse a database written by a newer baton in one line, exit 2', async () => {
    const repo = makeTempRepo();
    try {
      const db = new Database(join(repo.home, 'baton.db'));
      db.pragma('user_version = 999');
      db.close();
      for (const args of [['history'], ['show', 'r_1'], ['stats'], ['gc', '--older-than', '1d']]) {
        expectUsageError(await runBaton(args, { cwd: repo.root, home: repo.home }), /written by a newer baton \(schema 999/);
      }
    } finally {
      repo.cleanup();
    }
  });
});

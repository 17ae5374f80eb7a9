/**
 * Migration 5's per-day aggregates must always equal the figures read from the runs themselves:
 * through a run's lifecycle, re-analysis, feedback, agent calls, gc's deletes (children cascading),
 * for every project and from any day on; and computeStats with a `since` inside a day adds the
 * cut day from the rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.js';
import { migrations } from '../../src/store/migrations.js';
import { deleteOldRuns } from '../../src/store/retention.js';
import { STATS_DAY_MS } from '../../src/store/stats-daily.js';
import { computeStats, dailyPatternSums, dailyRoleSums, rawPatternSums, rawRoleSums } from '../../src/store/views/stats.js';
import { seedAgentCall, seedAnalysis, seedFeedback, seedRun } from '../support/seed.js';

const T0 = Date.UTC(2025, 0, 10, 20); // 20:00 UTC: a run of 6 h crosses midnight (days key on start)
const H = 3_600_000;

const byKey = <T extends object>(rows: T[], key: keyof T) =>
  Object.fromEntries(
    (rows as (T & { runs?: number; calls?: number })[])
      .filter((r) => (r.runs ?? r.calls) !== 0)
      .map((r) => [String(r[key]), Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v]))]),
  );

function expectConsistent(db: Db, project?: string, from?: number): void {
  const scope = { project, since: from };
  expect(byKey(dailyPatternSums(db, project, from), 'pattern')).toEqual(byKey(rawPatternSums(db, scope), 'pattern'));
  expect(byKey(dailyRoleSums(db, project, from), 'role')).toEqual(byKey(rawRoleSums(db, scope), 'role'));
}

function seedHistory(db: Db): string[] {
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const project = i % 3 === 0 ? '/p/other' : '/p/main';
    const id = seedRun(db, {
      project,
      pattern: (['direct', 'plan-execute', 'review-loop'] as const)[i % 3],
      status: i % 7 === 0 ? 'running' : i % 5 === 0 ? 'failed' : 'completed',
      at: T0 + i * 5 * H,
      durationMs: 1000 + i * 997,
      costUsd: 0.01 * i,
      tokens: { input: 100 * i, output: 10 * i, cacheRead: i, cacheWrite: 2 * i },
    });
    ids.push(id);
    seedAgentCall(db, id, {
      role: i % 2 ? 'coder' : 'explorer',
      status: i % 4 ? 'completed' : 'failed',
      turns: 2,
      retries: i % 3,
      cost: 0.001 * i,
      at: T0 + i * 5 * H,
      durationMs: 500 + i,
    });
    if (i % 2 === 0) seedAnalysis(db, id, { outcome: ['success', 'partial', 'failure'][i % 3]!, summary: 'ok', cost: 0.002, tokens: { input: 50 } });
    if (i % 4 === 1) seedFeedback(db, id, i % 8 === 1 ? 'good' : 'bad');
  }
  return ids;
}

describe('per-day stats aggregates (migration 8)', () => {
  it('equal the figures read from the runs, through writes, re-analyses and deletes', () => {
    const db = openDatabase(':memory:');
    const ids = seedHistory(db);
    for (const project of [undefined, '/p/main', '/p/other']) {
      expectConsistent(db, project);
      expectConsistent(db, project, T0 + 2 * STATS_DAY_MS - (T0 % STATS_DAY_MS));
    }
    // A run analysed again (the row is replaced), more feedback, a late agent call.
    seedAnalysis(db, ids[2]!, { outcome: 'failure', summary: 'again', cost: 0.5 });
    seedFeedback(db, ids[3]!, 'good');
    seedAgentCall(db, ids[4]!, { role: 'reviewer', status: 'completed', turns: 1, cost: 0.3, at: T0, durationMs: 10 });
    expectConsistent(db);
    expectConsistent(db, '/p/main');
    // gc: runs, their agent calls, analyses and feedback deleted together (children by cascade).
    const gone = deleteOldRuns(db, { before: T0 + 40 * H, lessons: true });
    expect(gone.runs).toBeGreaterThan(0);
    expectConsistent(db);
    expectConsistent(db, '/p/other');
    db.close();
  });

  it('a since inside a day: whole days from the aggregates, the cut day from the rows', () => {
    const db = openDatabase(':memory:');
    seedHistory(db);
    const since = T0 + 30 * H; // mid-day
    const stats = computeStats(db, { project: '/p/main', since });
    const raw = rawPatternSums(db, { project: '/p/main', since });
    expect(stats.runs).toBe(raw.reduce((n, p) => n + p.runs, 0));
    for (const p of stats.patterns) {
      const r = raw.find((x) => x.pattern === p.pattern)!;
      expect(p.runs).toBe(r.runs);
      expect(p.successes).toBe(r.successes);
      expect(p.totalCostUsd).toBeCloseTo(r.costUsd, 9);
      expect(p.meanDurationMs).toBeCloseTo(r.durationMs / r.finished, 6);
    }
    const roles = rawRoleSums(db, { project: '/p/main', since });
    expect(stats.roles.map((r) => [r.role, r.calls]).sort()).toEqual(roles.map((r) => [r.role, r.calls]).sort());
    db.close();
  });

  it('are built from the rows already recorded when the migration runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-stats-'));
    try {
      const path = join(dir, 'old.db');
      const old = new Database(path);
      // The schema just before the aggregates' migration (8).
      migrations.slice(0, 7).forEach((m) => old.exec(m));
      old.pragma('user_version = 7');
      old.pragma('foreign_keys = ON');
      seedHistory(old);
      old.close();
      const db = openDatabase(path); // migration 8 runs here
      for (const project of [undefined, '/p/main', '/p/other']) expectConsistent(db, project);
      expect(computeStats(db, {}).runs).toBe(30);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

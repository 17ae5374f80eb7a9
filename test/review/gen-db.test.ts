import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDatabase } from '../../bench/gen-db.js';
import { openDatabase } from '../../src/store/db.js';

describe('bench/gen-db: the benchmark database generator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-gen-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes consistent rows in realistic proportions, with the search index and its triggers as the schema has them', () => {
    const path = join(dir, 'gen.db');
    const counts = generateDatabase({ path, runs: 2000, project: '/work/demo', seed: 7 });
    expect(counts.runs).toBe(2000);
    const per = (n: number) => n / counts.runs;
    expect(per(counts.decisions)).toBeGreaterThan(1.2);
    expect(per(counts.decisions)).toBeLessThan(1.5);
    expect(per(counts.agentCalls)).toBeGreaterThan(2.2);
    expect(per(counts.agentCalls)).toBeLessThan(2.8);
    expect(per(counts.toolCalls)).toBeGreaterThan(8.5);
    expect(per(counts.toolCalls)).toBeLessThan(11.5);
    expect(per(counts.analyses)).toBeGreaterThan(0.8);
    expect(per(counts.lessons)).toBeGreaterThan(0.15);
    expect(per(counts.lessons)).toBeLessThan(0.25);

    const db = openDatabase(path);
    try {
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const count = (sql: string) => db.prepare(sql).pluck().get() as number;
      expect(count('SELECT count(*) FROM tool_calls')).toBe(counts.toolCalls);
      // runs.cost_usd = its agent calls + its decisions, as the lifecycle keeps it
      expect(
        count(`SELECT count(*) FROM runs r WHERE abs(r.cost_usd - (SELECT coalesce(sum(cost_usd), 0) FROM agent_calls WHERE run_id = r.id)
                 - (SELECT coalesce(sum(cost_usd), 0) FROM decisions WHERE run_id = r.id)) > 1e-9`),
      ).toBe(0);
      // one search document per prompt, reasoning, analysis and lesson, each with its FTS row
      expect(count('SELECT count(*) FROM search_docs')).toBe(counts.runs + counts.decisions + counts.analyses + counts.lessons);
      expect(count('SELECT count(*) FROM search_index')).toBe(count('SELECT count(*) FROM search_docs'));
      // every trigger of the schema is back after the bulk load (search and stats_daily alike)
      const fresh = openDatabase(join(dir, 'fresh.db'));
      const triggers = (d: typeof db) => d.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).all();
      expect(triggers(db)).toEqual(triggers(fresh));
      fresh.close();
      expect(count(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_fts'`)).toBe(4);
      // the stats_daily aggregates hold what the rows add up to, per project
      const byProject = (sql: string) => Object.fromEntries((db.prepare(sql).raw().all() as [string, ...number[]][]).map(([p, ...v]) => [p, v]));
      const daily = byProject(
        `SELECT project, sum(runs), sum(finished), sum(analysed), sum(feedback_good + feedback_bad), round(sum(cost_usd), 6) FROM stats_daily GROUP BY project`,
      );
      const rows = byProject(
        `SELECT r.project, count(*), count(r.finished_at), count(a.run_id), sum((SELECT count(*) FROM feedback f WHERE f.run_id = r.id)),
           round(sum(r.cost_usd + coalesce(a.cost_usd, 0)), 6)
         FROM runs r LEFT JOIN analyses a ON a.run_id = r.id GROUP BY r.project`,
      );
      expect(daily).toEqual(rows);
      expect(count('SELECT sum(calls) FROM role_stats_daily')).toBe(counts.agentCalls);
      expect(count('SELECT count(DISTINCT project) FROM runs')).toBe(5);
      expect(count(`SELECT count(*) FROM runs WHERE project = '/work/demo'`)).toBeGreaterThan(1000);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });
});

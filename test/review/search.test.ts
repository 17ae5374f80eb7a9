import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { ftsQuery } from '../../src/store/views/search.js';
import { expectUsageError, Fixture, seededProject, type Seeded } from './fixture.js';

interface Hit {
  kind: string;
  runId: string | null;
  lessonId: number | null;
  project: string;
  snippet: string;
  score: number;
}

describe('baton search', () => {
  let s: Seeded;
  beforeAll(() => {
    s = seededProject();
    // Two more prompts: one all about the exporter, one that mentions it once in a long text.
    const db = openDatabase(s.data.dbPath);
    const f = new Fixture(db, Date.now());
    const thread = f.thread(s.repo.root, Date.now() - 60_000);
    f.run({
      thread,
      project: s.repo.root,
      prompt: 'exporter exporter: fix the exporter',
      pattern: 'direct',
      status: 'completed',
      at: Date.now() - 50_000,
      durationMs: 1000,
    });
    f.run({
      thread,
      project: s.repo.root,
      prompt: `${'look through the whole repository and note anything odd about naming, tests, docs and build scripts; '.repeat(4)}also the exporter`,
      pattern: 'direct',
      status: 'completed',
      at: Date.now() - 40_000,
      durationMs: 1000,
    });
    db.close();
  });
  afterAll(() => s.repo.cleanup());

  it('ranks matches in prompts, reasoning, analyses and lessons with bm25 and marks them in snippets', async () => {
    const res = await s.baton('search', 'exporter', '--json');
    expect(res.code).toBe(0);
    const hits = JSON.parse(res.stdout) as Hit[];
    expect(hits[0]!.snippet).toBe('[exporter] [exporter]: fix the [exporter]');
    const kinds = new Set(hits.map((h) => h.kind));
    expect(kinds).toEqual(new Set(['prompt', 'reasoning', 'lesson'])); // "exporter" is in a reasoning and a lesson too
    const scores = hits.map((h) => h.score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    const long = hits.find((h) => h.snippet.includes('also the [exporter]'))!;
    expect(hits.indexOf(long)).toBeGreaterThan(0); // the long text ranks below the focused one
    expect(long.snippet.startsWith('…')).toBe(true); // shortened around the match
    const lesson = hits.find((h) => h.kind === 'lesson')!;
    expect(lesson).toMatchObject({ lessonId: s.data.lessons.fromPlan, runId: s.data.runs.plan });

    const analysis = JSON.parse((await s.baton('search', 'snapshot', 'hand', '--json')).stdout) as Hit[];
    expect(analysis.map((h) => [h.kind, h.runId])).toEqual([['analysis', s.data.runs.plan]]);
  });

  it('prints a table with [ ] around matches when not on a terminal, scoped to this project unless --all-projects', async () => {
    const res = await s.baton('search', 'parser');
    expect(res.stdout.split('\n')[0]).toMatch(/^RUN\s+AGE\s+FOUND IN/);
    expect(res.stdout).toContain('make the [parser] accept trailing commas');
    expect(res.stdout).not.toContain('survey the [parser] modules');
    expect(res.stdout).not.toMatch(/\x1b\[/);
    const all = await s.baton('search', 'parser', '--all-projects');
    expect(all.stdout).toContain('other-project: survey the [parser] modules');
  });

  it('treats what the user typed as words, never as FTS5 syntax; prefix search with a trailing *', async () => {
    for (const nasty of ['foo-bar "baz', 'NEAR(a b)', 'a AND OR NOT', "it's (weird) ^caret col:umn"]) {
      const res = await s.baton('search', nasty);
      expect(res.code, `${nasty}: ${res.stderr}`).toBe(0);
      expect(res.stderr).toBe('');
    }
    const prefix = JSON.parse((await s.baton('search', 'trail*', '--json')).stdout) as Hit[];
    expect(prefix.map((h) => h.runId)).toContain(s.data.runs.d3);
    expectUsageError(await s.baton('search', '"', '--'), /^baton: nothing to search for in/);
    const none = await s.baton('search', 'xylophone');
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^no matches for "xylophone" in this project/);
  });

  it('quotes each word for MATCH', () => {
    expect(ftsQuery('foo-bar "baz')).toBe('"foo-bar" """baz"');
    expect(ftsQuery('pars* x')).toBe('"pars"* "x"');
    expect(ftsQuery('  - " ')).toBeUndefined();
  });
});

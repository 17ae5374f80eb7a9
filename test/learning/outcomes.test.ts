import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patternStats, statsText } from '../../src/learning/outcomes.js';
import { insertRun, PROJECT, tempDb, type TempDb } from '../orchestrator/helpers.js';

let t: TempDb;
beforeEach(() => (t = tempDb()));
afterEach(() => t.cleanup());

describe('patternStats', () => {
  it('counts finished runs per pattern with feedback and analysis outcome', () => {
    const db = t.db;
    const ok = insertRun(db, { status: 'completed', pattern: 'direct', costUsd: 0.02, durationMs: 2000 });
    const ratedBad = insertRun(db, { status: 'completed', pattern: 'direct', costUsd: 0.04, durationMs: 4000 });
    insertRun(db, { status: 'failed', pattern: 'direct', costUsd: 0.06, durationMs: 6000 });
    const judgedFailure = insertRun(db, { status: 'completed', pattern: 'review-loop', costUsd: 0.5 });
    insertRun(db, { status: 'interrupted', pattern: 'review-loop', costUsd: 0.1 });
    insertRun(db, { status: 'cancelled', pattern: 'review-loop', costUsd: 0.3 });
    insertRun(db, { status: 'running', pattern: 'direct' }); // unfinished: not counted
    insertRun(db, { status: 'waiting_user', pattern: 'clarify' }); // unfinished: not counted
    insertRun(db, { status: 'completed', pattern: 'direct', project: '/projects/other' });
    // No pattern on the run row: the last decision's pattern counts.
    const fromDecision = insertRun(db, { status: 'completed' });
    db.prepare("INSERT INTO decisions (id, run_id, seq, kind, pattern, decision_json, created_at) VALUES ('d_1', ?, 1, 'initial', 'parallel', '{}', 0)").run(
      fromDecision,
    );

    const fb = db.prepare('INSERT INTO feedback (run_id, verdict, created_at) VALUES (?, ?, 0)');
    fb.run(ratedBad, 'good');
    fb.run(ratedBad, 'bad'); // the latest verdict counts
    fb.run(ok, 'good');
    db.prepare("INSERT INTO analyses (run_id, outcome, summary, signals_json, created_at) VALUES (?, 'failure', 'tests failed', '{}', 0)").run(judgedFailure);

    const stats = patternStats(db, PROJECT);
    expect(stats.map((s) => s.pattern)).toEqual(['direct', 'review-loop', 'parallel']);
    const direct = stats[0]!;
    // ok: rated good, so a success though unanalysed; ratedBad and the failed run are failures.
    expect(direct).toMatchObject({ runs: 3, completed: 2, failed: 1, cancelled: 0, successes: 1, failures: 2, unjudged: 0, good: 1, bad: 1 });
    expect(direct.successRate).toBeCloseTo(1 / 3);
    expect(direct.interval[0]).toBeLessThan(0.1);
    expect(direct.interval[1]).toBeGreaterThan(0.75);
    expect(direct.meanCostUsd).toBeCloseTo(0.04);
    expect(direct.meanDurationMs).toBe(4000);
    expect(stats[1]).toMatchObject({ runs: 3, completed: 1, failed: 1, cancelled: 1, successes: 0, failures: 2 });
    // Completed with neither an analysis nor a verdict: not a success, not a failure.
    expect(stats[2]).toMatchObject({ pattern: 'parallel', runs: 1, successes: 0, failures: 0, unjudged: 1 });

    const text = statsText(stats);
    expect(text.split('\n')[0]).toBe(
      'direct: 3 runs: 1 succeeded, 2 failed, 0 not judged, 0 cancelled; feedback 1 good / 1 bad; success 6%-79% (95% interval over 3 judged); avg $0.040, 4s',
    );
    expect(text.split('\n')[2]).toMatch(/^parallel: 1 runs: 0 succeeded, 0 failed, 1 not judged.*success unknown \(none judged\)/);
    expect(text.split('\n')).toHaveLength(3);
  });

  it('looks only at the most recent runs of the window', () => {
    for (let i = 0; i < 3; i++) insertRun(t.db, { status: 'failed', pattern: 'parallel' });
    for (let i = 0; i < 2; i++) insertRun(t.db, { status: 'completed', pattern: 'direct' });
    expect(patternStats(t.db, PROJECT, 2).map((s) => [s.pattern, s.runs])).toEqual([['direct', 2]]);
    expect(statsText([])).toMatch(/no finished runs/);
  });
});

import { describe, expect, it } from 'vitest';
import type { LlmError } from '../../src/llm/types.js';
import { analyzeRun, collectSignals } from '../../src/learning/analysis.js';
import { relevantLessons } from '../../src/learning/lessons.js';
import { insertAgentCall, insertRun, insertToolCall, PROJECT, sentText, useFakeApiAndDb } from '../orchestrator/helpers.js';

const MODEL = 'claude-haiku-5-5';

const env = useFakeApiAndDb();

/** A review-loop run: a rejected round with failing tests, then an approved one with passing tests. */
function reviewLoopRun(): string {
  const runId = insertRun(env.db, {
    prompt: 'make the date parser accept ISO weeks',
    status: 'completed',
    pattern: 'review-loop',
    costUsd: 0.3,
    result: 'Done.',
  });
  env.db
    .prepare(
      "INSERT INTO decisions (id, run_id, seq, kind, pattern, decision_json, reasoning, created_at) VALUES ('d_x', ?, 1, 'initial', 'review-loop', ?, 'tests can check it', 0)",
    )
    .run(
      runId,
      JSON.stringify({
        pattern: 'review-loop',
        agents: [
          { role: 'coder', instructions: 'Accept ISO weeks in src/date.ts' },
          { role: 'reviewer', instructions: 'Run npm test' },
        ],
        reasoning: 'tests can check it',
        expectations: 'npm test passes',
        lessonsUsed: [],
        confidence: 0.7,
      }),
    );
  const coder = insertAgentCall(env.db, runId, { role: 'coder', label: 'coder#1', retries: 2 });
  insertToolCall(env.db, runId, coder, { name: 'edit_file', input: { path: 'src/date.ts', old_string: 'a', new_string: 'b' } });
  insertToolCall(env.db, runId, coder, { name: 'edit_file', input: { path: 'src/nowhere.ts' }, isError: true, status: 'failed', output: 'no match' });
  insertToolCall(env.db, runId, coder, { name: 'write_file', input: { path: 'test/date.test.ts', content: 'x' } });
  insertToolCall(env.db, runId, coder, { name: 'bash', input: { command: 'ls -la' }, output: '[exit 0]' });
  const review1 = insertAgentCall(env.db, runId, {
    role: 'reviewer',
    label: 'review#1',
    result: 'Broken.\n```json\n{"approved": false, "reasons": ["fails"]}\n```',
  });
  insertToolCall(env.db, runId, review1, { name: 'bash', input: { command: 'npm test' }, output: 'FAIL date.test.ts\n[exit 1]', isError: true });
  insertAgentCall(env.db, runId, { role: 'coder', label: 'coder#2' });
  const review2 = insertAgentCall(env.db, runId, { role: 'reviewer', label: 'review#2', result: '```json\n{"approved": true, "reasons": ["ok"]}\n```' });
  insertToolCall(env.db, runId, review2, { name: 'bash', input: { command: 'npx vitest run test/date.test.ts' }, output: 'Tests 3 passed\n[exit code: 0]' });
  insertToolCall(env.db, runId, review2, { name: 'bash', input: { command: 'npm test' }, status: 'denied', isError: true, output: 'denied' });
  env.db
    .prepare(
      "INSERT INTO questions (id, run_id, question, answer, asked_at) VALUES ('q_1', ?, 'Which week rule?', 'ISO 8601', 0), ('q_2', ?, 'More?', NULL, 0)",
    )
    .run(runId, runId);
  return runId;
}

describe('collectSignals', () => {
  it('measures what happened from the store', () => {
    const runId = reviewLoopRun();
    const s = collectSignals(env.db, runId);
    expect(s).toMatchObject({
      status: 'completed',
      pattern: 'review-loop',
      costUsd: 0.3,
      durationMs: 1000,
      decisions: 1,
      revisions: 0,
      agentCalls: 4,
      agentsFailed: 0,
      retries: 2,
      toolCalls: 7,
      toolErrors: 3,
      toolsDenied: 1,
      cancellations: 0,
      questions: { asked: 2, answered: 1 },
      reviewVerdicts: ['rejected', 'approved'],
      filesChanged: ['src/date.ts', 'test/date.test.ts'],
    });
    expect(s.tests).toEqual([
      { command: 'npm test', passed: false },
      { command: 'npx vitest run test/date.test.ts', passed: true },
      { command: 'npm test', passed: null },
    ]);
    expect(s.testsPassed).toBe(true); // the last test that ran to the end
  });

  it('prefers recorded run_files and knows runs it cannot find', () => {
    const runId = reviewLoopRun();
    env.db.prepare("INSERT INTO run_files (run_id, path, change) VALUES (?, 'src/date.ts', 'modified'), (?, 'README.md', 'modified')").run(runId, runId);
    expect(collectSignals(env.db, runId).filesChanged).toEqual(['README.md', 'src/date.ts']);
    expect(() => collectSignals(env.db, 'r_missing')).toThrow(/no run r_missing/);
  });
});

describe('analyzeRun', () => {
  it('writes the analysis and its lesson operations, searchable for the next decision', async () => {
    const runId = reviewLoopRun();
    const lessons = [
      'In this repo the reviewer must run npm test: the first round failed it',
      'Date parsing changes need a test for ISO weeks',
      'Tell the coder which test file covers the parser',
    ];
    env.fake.setScript([
      { json: { outcome: 'success', summary: 'Approved in round 2 after tests failed once.', lessons: lessons.map((text) => ({ op: 'add', text })) } },
    ]);
    const record = await analyzeRun({ db: env.db, client: env.client(), runId, model: MODEL });

    expect(record).toMatchObject({ runId, outcome: 'success', summary: 'Approved in round 2 after tests failed once.', lessons, note: undefined });
    expect(record.lessonIds).toHaveLength(3);
    const row = env.db.prepare('SELECT * FROM analyses WHERE run_id = ?').get(runId) as Record<string, unknown>;
    expect(row).toMatchObject({ outcome: 'success', model: MODEL, output_tokens: record.usage.outputTokens });
    expect(row.cost_usd).toBeGreaterThan(0);
    expect(JSON.parse(row.signals_json as string)).toMatchObject({ reviewVerdicts: ['rejected', 'approved'], testsPassed: true });
    const stored = env.db.prepare('SELECT text, run_id, pattern FROM lessons ORDER BY id').all();
    expect(stored).toEqual(lessons.map((text) => ({ text, run_id: runId, pattern: 'review-loop' })));
    expect(relevantLessons(env.db, PROJECT, 'fix the parser for ISO weeks', 1)[0]!.text).toBe(lessons[1]);

    // The post-mortem saw the request, the decision and the signals.
    const body = env.fake.journal[0]!.body as { max_tokens: number };
    const sent = sentText(body, 0);
    expect(sent).toContain('make the date parser accept ISO weeks');
    expect(sent).toContain('initial: review-loop [coder+reviewer] tests can check it Expected: npm test passes');
    expect(sent).toContain('"reviewVerdicts":["rejected","approved"]');
    expect(body.max_tokens).toBeLessThanOrEqual(1000);
  });

  it('re-analysing replaces the row, and the same run writing a lesson again neither duplicates nor double-counts it', async () => {
    const runId = reviewLoopRun();
    const reply = { json: { outcome: 'partial', summary: 'ok', lessons: [{ op: 'add', text: 'Run npm test in review' }] } };
    env.fake.setScript([reply, { json: { ...reply.json, outcome: 'success' } }]);
    await analyzeRun({ db: env.db, client: env.client(), runId, model: MODEL });
    await analyzeRun({ db: env.db, client: env.client(), runId, model: MODEL });
    expect(env.db.prepare('SELECT outcome FROM analyses').all()).toEqual([{ outcome: 'success' }]);
    expect(env.db.prepare("SELECT COUNT(*) AS n FROM search_docs WHERE kind = 'analysis'").get()).toEqual({ n: 1 });
    // One run is one piece of evidence: its second analysis does not reinforce what its first wrote.
    expect(env.db.prepare('SELECT weight FROM lessons').all()).toEqual([{ weight: 1 }]);
  });

  it.each([
    ['an API failure', { fault: 'http' as const, status: 500 }, /^no LLM post-mortem: API error/],
    [
      'six lesson operations',
      { json: { outcome: 'success', summary: 's', lessons: ['a', 'b', 'c', 'd', 'e', 'f'].map((text) => ({ op: 'add', text })) } },
      /^no LLM post-mortem: invalid output/,
    ],
  ])('still writes an analysis from the signals after %s', async (_name, reply, note) => {
    const runId = insertRun(env.db, { status: 'failed', pattern: 'direct', error: 'budget exceeded' });
    env.fake.setScript([reply]);
    const record = await analyzeRun({ db: env.db, client: env.client(), runId, model: MODEL });
    expect(record.outcome).toBe('failure');
    expect(record.lessons).toEqual([]);
    expect(record.note).toMatch(note);
    expect(record.summary).toBe('Run failed: budget exceeded; pattern direct; 0 files changed; no tests run.');
    const row = env.db.prepare('SELECT outcome, summary, signals_json FROM analyses WHERE run_id = ?').get(runId) as {
      outcome: string;
      summary: string;
      signals_json: string;
    };
    expect(row.outcome).toBe('failure');
    expect(row.summary).toContain('no LLM post-mortem');
    expect(JSON.parse(row.signals_json).note).toMatch(note);
    expect(env.db.prepare('SELECT COUNT(*) AS n FROM lessons').get()).toEqual({ n: 0 });
  });

  it('shows an unreadable stored decision as empty instead of failing', async () => {
    const runId = insertRun(env.db, { status: 'completed', pattern: 'direct' });
    env.db
      .prepare("INSERT INTO decisions (id, run_id, seq, kind, pattern, decision_json, created_at) VALUES ('d_bad', ?, 1, 'initial', 'direct', '{not json', 0)")
      .run(runId);
    env.fake.setScript([{ json: { outcome: 'success', summary: 'fine', lessons: [] } }]);
    const record = await analyzeRun({ db: env.db, client: env.client(), runId, model: MODEL });
    expect(record.outcome).toBe('success');
    expect(sentText(env.fake.journal[0]!.body, 0)).toContain('<decisions>\ninitial: direct [] \n</decisions>');
  });

  it('derives the outcome from tests when it has only signals', async () => {
    const runId = insertRun(env.db, { status: 'completed', pattern: 'direct' });
    const agent = insertAgentCall(env.db, runId);
    insertToolCall(env.db, runId, agent, { name: 'bash', input: { command: 'cargo test' }, output: 'test result: FAILED\n[exit 101]', isError: true });
    env.fake.setScript([{ fault: 'http', status: 529 }]);
    const record = await analyzeRun({ db: env.db, client: env.client(), runId, model: MODEL });
    expect(record.outcome).toBe('partial');
    expect(record.summary).toContain('tests failed');
  });

  it('does not let the model call a cancelled or failed run a success', async () => {
    const cancelled = insertRun(env.db, { status: 'cancelled', pattern: 'direct' });
    const failed = insertRun(env.db, { status: 'failed', pattern: 'direct' });
    env.fake.setScript(() => ({ json: { outcome: 'success', summary: 'looked fine', lessons: [] } }));
    expect((await analyzeRun({ db: env.db, client: env.client(), runId: cancelled, model: MODEL })).outcome).toBe('partial');
    expect((await analyzeRun({ db: env.db, client: env.client(), runId: failed, model: MODEL })).outcome).toBe('failure');
  });

  it('throws on cancellation', async () => {
    const runId = insertRun(env.db, { status: 'completed' });
    const controller = new AbortController();
    env.fake.setScript(() => {
      controller.abort();
      return { fault: 'hang' };
    });
    const err = await analyzeRun({ db: env.db, client: env.client(), runId, model: MODEL, signal: controller.signal }).catch((e: unknown) => e);
    expect((err as LlmError).kind).toBe('aborted');
    expect(env.db.prepare('SELECT COUNT(*) AS n FROM analyses').get()).toEqual({ n: 0 });
  });
});

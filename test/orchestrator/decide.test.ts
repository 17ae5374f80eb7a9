import { describe, expect, it } from 'vitest';
import { createLlmClient } from '../../src/llm/client.js';
import { LlmError } from '../../src/llm/types.js';
import { buildDecisionInput, decide, RefusedCall } from '../../src/orchestrator/decide.js';
import { addLessons } from '../../src/learning/lessons.js';
import type { JournalEntry } from '../support/fake-api.js';
import { setThreadSummary } from '../../src/store/threads.js';
import { decisionRows, insertMessage, insertRun, insertThread, PROJECT, sentText, useFakeApiAndDb } from './helpers.js';

const MODEL = 'claude-haiku-5-5';
const valid = {
  pattern: 'review-loop',
  agents: [
    { role: 'coder', instructions: 'Fix the off-by-one in src/range.ts; run npm test.' },
    { role: 'reviewer', instructions: 'Run npm test; check the diff.' },
  ],
  reasoning: 'A code change that tests can check.',
  expectations: 'npm test passes',
  lessonsUsed: [],
  confidence: 0.7,
  params: { maxRounds: 2 },
};

const env = useFakeApiAndDb();

type Body = {
  system: { text: string }[] | string;
  messages: { role: string }[];
  output_config?: { effort?: string; format?: { type: string } };
  max_tokens: number;
};
const bodyOf = (e: JournalEntry) => e.body as Body;

function setup(prompt = 'fix the off-by-one in range()') {
  const threadId = insertThread(env.db);
  const runId = insertRun(env.db, { threadId, prompt });
  const input = buildDecisionInput({ db: env.db, project: PROJECT, threadId, prompt, repoFacts: 'branch main; clean\nAGENTS.md: use npm test' });
  return { threadId, runId, input };
}

describe('decide', () => {
  it('records a valid decision with its tokens, cost and reasoning (searchable)', async () => {
    env.fake.setScript([{ json: valid }]);
    const { runId, input } = setup();
    const record = await decide({ db: env.db, client: env.client(), runId, model: MODEL, input });

    expect(record).toMatchObject({ kind: 'initial', seq: 1, decision: valid, model: MODEL });
    expect(record.fallbackCause).toBeUndefined();
    expect(record.usage.outputTokens).toBeGreaterThan(0);
    expect(record.costUsd).toBeGreaterThan(0);

    const [row] = decisionRows(env.db, runId);
    expect(row).toMatchObject({
      id: record.id,
      kind: 'initial',
      pattern: 'review-loop',
      reasoning: valid.reasoning,
      confidence: 0.7,
      fallback_cause: null,
      model: MODEL,
    });
    expect(JSON.parse(row!.decision_json)).toEqual(valid);
    expect(row!.output_tokens).toBe(record.usage.outputTokens);
    expect(row!.cost_usd).toBeCloseTo(record.costUsd);
    const indexed = env.db
      .prepare("SELECT d.ref FROM search_index JOIN search_docs d ON d.id = search_index.rowid WHERE search_index MATCH 'tests' AND d.kind = 'reasoning'")
      .all();
    expect(indexed).toEqual([{ ref: runId }]);

    // One request: static system prompt, per-run facts in the user turn, structured output at low effort.
    expect(env.fake.journal).toHaveLength(1);
    const body = bodyOf(env.fake.journal[0]!);
    const system = typeof body.system === 'string' ? body.system : body.system.map((b) => b.text).join('');
    expect(system).toContain('review-loop');
    expect(system).not.toContain('off-by-one');
    expect(sentText(body, 0)).toContain('<request>\nfix the off-by-one in range()\n</request>');
    expect(sentText(body, 0)).toContain('AGENTS.md: use npm test');
    expect(body.output_config?.effort).toBe('low');
    expect(body.output_config?.format?.type).toBe('json_schema');
    // Room for a model that thinks first (issue 10): at least 4k, not unbounded.
    expect(body.max_tokens).toBeGreaterThanOrEqual(4096);
    expect(body.max_tokens).toBeLessThanOrEqual(8192);
  });

  it('a refused decision: no repair, no fallback; the refusal carries the explanation and the cost', async () => {
    env.fake.setScript([
      { text: '{"pattern":', stopReason: 'refusal', refusal: { category: 'cyber', explanation: 'This request looks like malware development.' } },
    ]);
    const { runId, input } = setup('write ransomware');
    const err = await decide({ db: env.db, client: env.client(), runId, model: MODEL, input }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefusedCall);
    expect((err as RefusedCall).message).toBe(
      "the orchestrator's decision call was refused: the model refused (cyber): This request looks like malware development.",
    );
    expect((err as RefusedCall).usage.outputTokens).toBeGreaterThan(0);
    expect(env.fake.journal).toHaveLength(1);
    expect(decisionRows(env.db, runId)).toEqual([]);
  });

  it('a decision cut at max_tokens is asked again once with double the limit, not repaired at the same limit', async () => {
    env.fake.setScript([{ text: '{"pattern": "review-loop", "agents": [', stopReason: 'max_tokens' }, { json: valid }]);
    const { runId, input } = setup();
    const record = await decide({ db: env.db, client: env.client(), runId, model: MODEL, input });
    expect(record.kind).toBe('initial');
    const [first, second] = env.fake.journal.map((e) => bodyOf(e));
    expect(second!.max_tokens).toBe(first!.max_tokens * 2);
    // The same request again: no repair turn.
    expect(second!.messages.map((m) => m.role)).toEqual(['user']);
    expect(decisionRows(env.db, runId)[0]!.output_tokens).toBe(first!.max_tokens + env.fake.journal[1]!.usage!.output_tokens);
  });

  it('repairs an invalid reply once, showing the model its errors', async () => {
    const broken = { ...valid, pattern: 'swarm', confidence: 3 };
    env.fake.setScript([{ json: broken }, { json: valid }]);
    const { runId, input } = setup();
    const record = await decide({ db: env.db, client: env.client(), runId, model: MODEL, input });

    expect(record.kind).toBe('initial');
    expect(record.decision.pattern).toBe('review-loop');
    expect(env.fake.journal).toHaveLength(2);
    const repair = bodyOf(env.fake.journal[1]!).messages;
    expect(repair.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.parse(sentText(env.fake.journal[1]!.body, 1))).toEqual(broken);
    expect(sentText(env.fake.journal[1]!.body, 2)).toMatch(/- pattern: /);
    expect(sentText(env.fake.journal[1]!.body, 2)).toMatch(/- confidence: /);
    // Both calls are paid for and recorded.
    const [row] = decisionRows(env.db, runId);
    expect(row!.output_tokens).toBe(env.fake.journal[0]!.usage!.output_tokens + env.fake.journal[1]!.usage!.output_tokens);
  });

  it('falls back to direct with the cause when the reply is still invalid', async () => {
    env.fake.setScript([{ text: 'I think review-loop is best' }, { json: { pattern: 'direct' } }]);
    const prompt = 'rename foo to bar';
    const { runId, input } = setup(prompt);
    const record = await decide({ db: env.db, client: env.client(), runId, model: MODEL, input });

    expect(record.kind).toBe('fallback');
    expect(record.decision).toMatchObject({ pattern: 'direct', agents: [{ role: 'coder', instructions: prompt }], confidence: 0 });
    expect(record.fallbackCause).toMatch(/^invalid output after one repair: .*agents/);
    const [row] = decisionRows(env.db, runId);
    expect(row).toMatchObject({ kind: 'fallback', pattern: 'direct', fallback_cause: record.fallbackCause });
    expect(row!.output_tokens).toBeGreaterThan(0);
    expect(env.fake.journal).toHaveLength(2);
  });

  it.each([
    [400, /API error/],
    [401, /API error/],
    [529, /API error/],
  ])('falls back to direct on HTTP %i', async (status, cause) => {
    env.fake.setScript([{ fault: 'http', status }]);
    const { runId, input } = setup();
    const record = await decide({ db: env.db, client: env.client(), runId, model: MODEL, input });
    expect(record.kind).toBe('fallback');
    expect(record.fallbackCause).toMatch(cause);
    expect(decisionRows(env.db, runId)[0]).toMatchObject({ kind: 'fallback', pattern: 'direct' });
  });

  it('falls back when the client cannot even authenticate', async () => {
    env.fake.setScript([{ json: valid }]);
    const { runId, input } = setup();
    const wrongKey = createLlmClient({ apiKey: 'wrong', baseURL: env.fake.url, maxAttempts: 1 });
    const record = await decide({ db: env.db, client: wrongKey, runId, model: MODEL, input });
    expect(record.kind).toBe('fallback');
    expect(record.fallbackCause).toMatch(/^API error: /);
    expect(env.fake.journal[0]!.status).toBe(401);
  });

  it('lets a cancellation through instead of falling back', async () => {
    const controller = new AbortController();
    // The user cancels while the request is in flight.
    env.fake.setScript(() => {
      controller.abort();
      return { fault: 'hang' };
    });
    const { runId, input } = setup();
    const err = await decide({ db: env.db, client: env.client(), runId, model: MODEL, input, signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).kind).toBe('aborted');
    expect(decisionRows(env.db, runId)).toEqual([]);
  });

  it('a lesson written for run 1 reaches run 2, and using it is recorded once', async () => {
    const run1 = insertRun(env.db, { prompt: 'fix the parser', status: 'completed', pattern: 'direct' });
    const [lessonId] = addLessons(env.db, PROJECT, run1, 'direct', ['Parser changes break golden files: have the reviewer run npm test']).added;
    env.fake.setScript([{ json: { ...valid, lessonsUsed: [lessonId, lessonId, 999] } }, { json: { ...valid, lessonsUsed: [lessonId] } }]);
    const { runId, input } = setup('the parser rejects trailing commas');
    expect(input.lessons.map((l) => l.id)).toEqual([lessonId]);
    // No analysis and no verdict: the run is counted, but not as a success.
    expect(input.stats).toMatch(/^direct: 1 runs: 0 succeeded, 0 failed, 1 not judged/);

    const record = await decide({ db: env.db, client: env.client(), runId, model: MODEL, input });
    const sent = sentText(env.fake.journal[0]!.body, 0);
    expect(sent).toContain(`#${lessonId}: Parser changes break golden files`);
    expect(sent).toContain('<pattern_stats>\ndirect: 1 runs');
    // Only lessons it was shown count; duplicates once.
    expect(record.decision.lessonsUsed).toEqual([lessonId]);
    expect(env.db.prepare('SELECT lesson_id, run_id FROM lesson_uses').all()).toEqual([{ lesson_id: lessonId, run_id: runId }]);
    // A second decision in the same run (e.g. after clarify) does not count the use twice.
    await decide({ db: env.db, client: env.client(), runId, model: MODEL, input });
    expect(env.db.prepare('SELECT uses FROM lessons WHERE id = ?').get(lessonId)).toEqual({ uses: 1 });
    expect(decisionRows(env.db, runId).map((r) => r.seq)).toEqual([1, 2]);
  });
});

describe('buildDecisionInput', () => {
  it('gathers the thread summary and the recent turns after it, without repeating the prompt', () => {
    const threadId = insertThread(env.db);
    const old = insertMessage(env.db, threadId, 'user', 'old question that the summary covers');
    setThreadSummary(env.db, threadId, 'We set up the project.', old);
    for (let i = 1; i <= 8; i++) insertMessage(env.db, threadId, i % 2 ? 'user' : 'assistant', `turn ${i} ${'x'.repeat(i === 8 ? 5000 : 0)}`);
    insertMessage(env.db, threadId, 'user', 'now add tests');

    const input = buildDecisionInput({ db: env.db, project: PROJECT, threadId, prompt: 'now add tests', repoFacts: '' });
    expect(input.threadSummary).toBe('We set up the project.');
    expect(input.recentTurns.map((m) => m.content.slice(0, 6))).toEqual(['turn 3', 'turn 4', 'turn 5', 'turn 6', 'turn 7', 'turn 8']);
    expect(input.recentTurns.at(-1)!.content.length).toBeLessThan(1000);
    expect(input.lessons).toEqual([]);
    expect(input.stats).toMatch(/no finished runs/);
  });
});

/**
 * Context management end to end: the built `baton -p` with an agent that reads a big file every
 * turn, against a fake API with a context limit. The run completes past the window: old tool
 * results are cleared (before the limit when the window is known; after the API's 400 when not).
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatonEvent } from '../../src/core/events.js';
import { runBaton } from '../support/cli.js';
import { routeBy, startFakeApi, textReply, toolReply, type FakeApi, type FakeReply, type ParsedRequest } from '../support/fake-api.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { decision, isDecision, isRole } from '../support/routes.js';

const FILES = 14;
const LIMIT = 30_000;
const line = (i: number) => `export const value${String(i).padStart(4, '0')} = ${JSON.stringify('v'.repeat(40))};\n`;
const bigFile = Array.from({ length: 300 }, (_, i) => line(i)).join(''); // ~21k chars, ~5.5k tokens

let fake: FakeApi;
let repo: TempRepo;

beforeEach(async () => {
  fake = await startFakeApi({ contextLimitTokens: LIMIT });
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) files[`src/f${i}.ts`] = bigFile;
  repo = makeTempRepo(files);
});
afterEach(async () => {
  await fake.close();
  repo.cleanup();
});

/** A coder that reads one file per turn, then answers; it never reads a file twice. */
function reader(_req: ParsedRequest, n: number): FakeReply {
  return n < FILES ? toolReply('read_file', { path: `src/f${n}.ts` }) : textReply(`read all ${FILES} files`);
}

async function run(config: Record<string, unknown>) {
  writeFileSync(join(repo.home, 'config.json'), JSON.stringify(config));
  fake.setScript(
    routeBy({
      decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'read every file in src' }])] },
      coder: { when: isRole('coder'), replies: reader },
    }),
  );
  const r = await runBaton(['-p', 'read every file', '--output-format', 'stream-json'], {
    cwd: repo.root,
    home: repo.home,
    env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, BATON_ANALYSIS: 'off', BATON_RETRY_BASE_MS: '5' },
    timeoutMs: 60_000,
  });
  const events = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as BatonEvent);
  const coder = fake.journal.filter((j) => j.kind === 'coder' || (j.status === 400 && JSON.stringify(j.body).includes('read_file')));
  const answered = coder.filter((j) => j.status === 200);
  const peak = Math.max(...answered.map((j) => j.usage!.input_tokens + j.usage!.cache_read_input_tokens + j.usage!.cache_creation_input_tokens));
  const db = new Database(join(repo.home, 'baton.db'), { readonly: true });
  const call = db.prepare("SELECT status, turns, messages_json FROM agent_calls WHERE role = 'coder'").get() as {
    status: string;
    turns: number;
    messages_json: string;
  };
  db.close();
  return { r, events, coder, answered, peak, call };
}

describe('context window', () => {
  it('a known window: old results are cleared before the limit, the run completes without a 400', async () => {
    const { r, events, coder, answered, peak, call } = await run({ contextWindows: { 'claude-sonnet-5-5': LIMIT } });
    expect(r.code).toBe(0);
    expect(coder.filter((j) => j.status === 400)).toEqual([]);
    expect(answered).toHaveLength(FILES + 1);
    expect(call).toMatchObject({ status: 'completed', turns: FILES + 1 });
    expect(peak).toBeLessThanOrEqual(LIMIT * 0.8);
    const cleared = events.filter((e) => e.type === 'context.cleared');
    expect(cleared.length).toBeGreaterThan(0);
    for (const e of cleared) expect(e.tokensAfter).toBeLessThan(e.tokensBefore);
    // The stubs say how to read the content again; the stored conversation keeps ids paired.
    const last = JSON.stringify(fake.journal.at(-1)!.body);
    expect(last).toContain('[cleared to save context: read_file {\\"path\\":\\"src/f0.ts\\"} — call it again if needed]');
    expect(JSON.parse(call.messages_json).messages.filter((m: { role: string }) => m.role === 'assistant')).toHaveLength(FILES + 1);
    console.log(`context e2e (known window): ${answered.length} turns completed, peak input ${peak} tokens of ${LIMIT}, ${cleared.length} clearings`);
  });

  it('an unknown window: the 400 "prompt is too long" clears harder and retries; the run completes', async () => {
    const { r, events, coder, answered, peak } = await run({});
    expect(r.code).toBe(0);
    const refused = coder.filter((j) => j.status === 400);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.error).toMatch(/^prompt is too long: \d+ tokens > 30000 maximum$/);
    // Every refusal is followed by an answered request (the retry).
    for (const j of refused) expect(fake.journal[j.index + 1]?.status).toBe(200);
    expect(answered).toHaveLength(FILES + 1);
    expect(peak).toBeLessThanOrEqual(LIMIT);
    expect(events.filter((e) => e.type === 'context.cleared')).toHaveLength(refused.length);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed' });
    console.log(`context e2e (unknown window): ${answered.length} turns completed, peak input ${peak} tokens, ${refused.length} refusals retried`);
  });
});

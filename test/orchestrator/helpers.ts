/** Minimal real rows in a real temp SQLite file, for the orchestrator's tests, written through test/support/seed.ts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunStatus } from '../../src/core/events.js';
import { createLlmClient } from '../../src/llm/client.js';
import type { LlmClient } from '../../src/llm/types.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { SEED_OPTIONS, seedAgentCall, seedMessage, seedRun, seedThread, seedToolCall } from '../support/seed.js';

export const PROJECT = '/projects/demo';

export interface TempDb {
  db: Db;
  path: string;
  cleanup(): void;
}

export function tempDb(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), 'baton-orch-'));
  const path = join(dir, 'baton.db');
  const db = openDatabase(path);
  return {
    db,
    path,
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A thread (through the store's own functions, see test/support/seed.ts). */
export function insertThread(db: Db, opts: { project?: string; summary?: string; summaryUpto?: number } = {}): string {
  return seedThread(db, { project: opts.project ?? PROJECT, summary: opts.summary, summaryUpto: opts.summaryUpto });
}

export function insertMessage(db: Db, threadId: string, role: 'user' | 'assistant', content: string): number {
  return seedMessage(db, threadId, role, content);
}

/** Runs start a minute apart, so their order and durations are known. */
let clock = 1_700_000_000_000;

export function insertRun(
  db: Db,
  opts: {
    threadId?: string;
    project?: string;
    prompt?: string;
    status?: RunStatus;
    pattern?: string;
    costUsd?: number;
    durationMs?: number;
    error?: string;
    result?: string;
    id?: string;
  } = {},
): string {
  return seedRun(db, { ...opts, project: opts.project ?? PROJECT, options: { ...SEED_OPTIONS, orchestratorModel: 'claude-haiku-5-5' }, at: (clock += 60_000) });
}

export function insertAgentCall(
  db: Db,
  runId: string,
  opts: { role?: string; label?: string; status?: 'ready' | 'executing' | 'completed' | 'failed' | 'cancelled'; retries?: number; result?: string } = {},
): string {
  return seedAgentCall(db, runId, { ...opts, turns: opts.retries ? 1 : 0, at: (clock += 1000) });
}

export function insertToolCall(
  db: Db,
  runId: string,
  agentCallId: string,
  opts: { name: string; input: unknown; status?: 'completed' | 'failed' | 'denied' | 'cancelled'; output?: string; isError?: boolean },
): void {
  seedToolCall(db, runId, agentCallId, { ...opts, at: (clock += 1000) });
}

/** The real client against the fake Messages API: no retries, so faults surface at once. */
export function fakeClient(url: string): LlmClient {
  return createLlmClient({ apiKey: 'test-key', baseURL: url, maxAttempts: 1, baseDelayMs: 1 });
}

/** One fake Messages API for the file, a fresh database and an empty journal for each test. */
export function useFakeApiAndDb(): { readonly fake: FakeApi; readonly db: Db; client(): LlmClient } {
  let fake: FakeApi;
  let t: TempDb;
  beforeAll(async () => (fake = await startFakeApi()));
  afterAll(() => fake.close());
  beforeEach(() => {
    t = tempDb();
    fake.journal.length = 0;
  });
  afterEach(() => t.cleanup());
  return {
    get fake() {
      return fake;
    },
    get db() {
      return t.db;
    },
    client: () => fakeClient(fake.url),
  };
}

export function decisionRows(db: Db, runId: string) {
  return db.prepare('SELECT * FROM decisions WHERE run_id = ? ORDER BY seq').all(runId) as {
    id: string;
    seq: number;
    kind: string;
    pattern: string;
    decision_json: string;
    reasoning: string;
    confidence: number;
    fallback_cause: string | null;
    model: string;
    input_tokens: number;
    output_tokens: number;
    cost_usd: number;
  }[];
}

type SentContent = string | { type: string; text?: string }[];

/** The text of message `i` (default: the last) of a request the fake API received. */
export function sentText(body: unknown, i = -1): string {
  const content = (body as { messages: { content: SentContent }[] }).messages.at(i)!.content;
  return typeof content === 'string' ? content : content.map((b) => b.text ?? '').join('');
}

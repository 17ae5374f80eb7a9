/** Minimal real rows in a real temp SQLite file, for the orchestrator's tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../../src/core/ids.js';
import type { RunStatus } from '../../src/core/events.js';
import { createLlmClient } from '../../src/llm/client.js';
import type { LlmClient } from '../../src/llm/types.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';

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

export function insertThread(db: Db, opts: { project?: string; summary?: string; summaryUpto?: number } = {}): string {
  const id = newId('t');
  db.prepare('INSERT INTO threads (id, project, summary, summary_upto, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    id,
    opts.project ?? PROJECT,
    opts.summary ?? null,
    opts.summaryUpto ?? 0,
    Date.now(),
    Date.now(),
  );
  return id;
}

export function insertMessage(db: Db, threadId: string, role: 'user' | 'assistant', content: string): number {
  return Number(
    db.prepare('INSERT INTO messages (thread_id, role, content, created_at) VALUES (?, ?, ?, ?)').run(threadId, role, content, Date.now()).lastInsertRowid,
  );
}

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
  const project = opts.project ?? PROJECT;
  const threadId = opts.threadId ?? insertThread(db, { project });
  const id = opts.id ?? newId('r');
  const started = (clock += 60_000);
  const status = opts.status ?? 'running';
  db.prepare(
    `INSERT INTO runs (id, thread_id, project, prompt, status, pattern, result, error, model, permission_mode, cost_usd, started_at, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'claude-sonnet-5-5', 'ask', ?, ?, ?)`,
  ).run(
    id,
    threadId,
    project,
    opts.prompt ?? 'fix the failing test',
    status,
    opts.pattern ?? null,
    opts.result ?? null,
    opts.error ?? null,
    opts.costUsd ?? 0,
    started,
    status === 'running' || status === 'waiting_user' ? null : started + (opts.durationMs ?? 1000),
  );
  return id;
}

export function insertAgentCall(
  db: Db,
  runId: string,
  opts: { role?: string; label?: string; status?: string; retries?: number; result?: string } = {},
): string {
  const id = newId('a');
  db.prepare(
    `INSERT INTO agent_calls (id, run_id, role, label, model, status, retries, result, started_at) VALUES (?, ?, ?, ?, 'm', ?, ?, ?, ?)`,
  ).run(id, runId, opts.role ?? 'coder', opts.label ?? 'direct', opts.status ?? 'completed', opts.retries ?? 0, opts.result ?? null, (clock += 1000));
  return id;
}

let toolSeq = 0;

export function insertToolCall(
  db: Db,
  runId: string,
  agentCallId: string,
  opts: { name: string; input: unknown; status?: string; output?: string; isError?: boolean },
): void {
  db.prepare(
    `INSERT INTO tool_calls (id, agent_call_id, run_id, name, input_json, status, output, is_error, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    `toolu_t${++toolSeq}`,
    agentCallId,
    runId,
    opts.name,
    JSON.stringify(opts.input),
    opts.status ?? 'completed',
    opts.output ?? '',
    opts.isError ? 1 : 0,
    (clock += 1000),
  );
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

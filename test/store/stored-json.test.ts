import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION, type Db } from '../../src/store/db.js';
import { insertQuestion, questionOptions } from '../../src/store/questions.js';
import { createRun, getRun, runOptions } from '../../src/store/runs.js';
import { createThread } from '../../src/store/threads.js';
import { corruptStoredJson } from '../support/seed.js';

let dir: string;
let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  rmSync(dir, { recursive: true, force: true });
});
function open(): Db {
  dir = mkdtempSync(join(tmpdir(), 'baton-store-'));
  db = openDatabase(join(dir, 'baton.db'));
  return db;
}
const options = { model: 'm', orchestratorModel: 'o', permissionMode: 'ask' as const };

describe('the store', () => {
  it('migrates a new file to the current schema with WAL and foreign keys on', () => {
    const d = open();
    expect(d.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(d.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(d.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses a database written by a newer baton and leaves it unchanged', () => {
    const d = open();
    d.pragma('user_version = 999');
    d.close();
    db = undefined;
    expect(() => openDatabase(join(dir, 'baton.db'))).toThrow(/newer baton/);
    const raw = new Database(join(dir, 'baton.db'), { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(999);
    expect(raw.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'runs'").get()).toEqual({ n: 1 });
    raw.close();
  });

  it('checks JSON columns with zod when it reads them: damage is one clear error', () => {
    const d = open();
    const thread = createThread(d, '/p');
    const run = createRun(d, { threadId: thread.id, project: '/p', prompt: 'x', options });
    expect(runOptions(getRun(d, run.id)!)).toEqual(options);
    corruptStoredJson(d, 'runs', 'options_json', run.id, '{"model": 3}');
    expect(() => runOptions(getRun(d, run.id)!)).toThrow(/options of run .* unreadable \(model:/);
    const q = insertQuestion(d, { runId: run.id, question: 'which?', options: ['a', 'b'] });
    expect(questionOptions(q)).toEqual(['a', 'b']);
    expect(() => questionOptions({ ...q, options_json: '{oops' })).toThrow(/not valid JSON/);
  });
});

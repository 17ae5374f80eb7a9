/**
 * The end-to-end fixture: a fake Messages API, a real git repository in a temp dir with its own
 * BATON_HOME, the environment that points the built CLI at both, and read-only access to the
 * database the CLI wrote. Shared by test/e2e/* and the terminal session test.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { runBaton, type CliResult } from './cli.js';
import { startFakeApi, type FakeApi, type FakeApiOptions } from './fake-api.js';
import { makeTempRepo, type TempRepo } from './repo.js';

export const TEST_API_KEY = 'test-key';

export interface E2eOptions {
  /** Files of the repository's first commit. */
  files?: Record<string, string>;
  fake?: FakeApiOptions;
}

export interface E2e {
  fake: FakeApi;
  repo: TempRepo;
  /** The environment for the CLI: key, fake API, no analysis, fast retries (`extra` overrides; undefined removes). */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** The built `baton` in the repository, with env() (BATON_HOME is the repository's home). */
  baton(args: string[], opts?: { env?: Record<string, string | undefined>; cwd?: string; stdin?: string; timeoutMs?: number }): Promise<CliResult>;
  /** The CLI's database, read-only; close it when done. */
  openDb(): Database.Database;
  /** Rows of a read-only query on the CLI's database. */
  query<T>(sql: string, ...params: unknown[]): T[];
  /** A file of the repository. */
  read(path: string): string;
  close(): Promise<void>;
}

export async function startE2e(opts: E2eOptions = {}): Promise<E2e> {
  const fake = await startFakeApi(opts.fake);
  const repo = makeTempRepo(opts.files);
  const env = (extra: Record<string, string | undefined> = {}) => ({
    ANTHROPIC_API_KEY: TEST_API_KEY,
    ANTHROPIC_BASE_URL: fake.url,
    BATON_ANALYSIS: 'off',
    BATON_RETRY_BASE_MS: '5',
    ...extra,
  });
  const openDb = () => new Database(join(repo.home, 'baton.db'), { readonly: true });
  return {
    fake,
    repo,
    env,
    baton: (args, o = {}) => runBaton(args, { cwd: o.cwd ?? repo.root, home: repo.home, env: env(o.env), stdin: o.stdin, timeoutMs: o.timeoutMs }),
    openDb,
    query<T>(sql: string, ...params: unknown[]): T[] {
      const db = openDb();
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    read: (path) => readFileSync(join(repo.root, path), 'utf8'),
    async close() {
      await fake.close();
      repo.cleanup();
    },
  };
}

/**
 * A fresh fixture for each test of the file (beforeEach/afterEach); the returned handle always
 * refers to the current test's fixture.
 */
export function useE2e(opts: E2eOptions = {}): E2e {
  let current: E2e | undefined;
  beforeEach(async () => {
    current = await startE2e(opts);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const now = (): E2e => {
    if (!current) throw new Error('the e2e fixture is only available inside a test');
    return current;
  };
  return {
    get fake() {
      return now().fake;
    },
    get repo() {
      return now().repo;
    },
    env: (extra) => now().env(extra),
    baton: (args, o) => now().baton(args, o),
    openDb: () => now().openDb(),
    query: <T>(sql: string, ...params: unknown[]) => now().query<T>(sql, ...params),
    read: (path) => now().read(path),
    close: () => now().close(),
  };
}

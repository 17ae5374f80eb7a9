import type Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { migrations } from './migrations.js';

export type Db = Database.Database;

export const SCHEMA_VERSION = migrations.length;

/**
 * Opens (creating if needed) the database and brings its schema up to date.
 * WAL + busy timeout let several baton processes share one file; migrations run inside an
 * IMMEDIATE transaction so two processes starting together do not both migrate.
 */
export function openDatabase(path: string, opts: { readonly?: boolean } = {}): Db {
  if (path !== ':memory:' && !opts.readonly) checkWritable(path);
  // Loaded here, not at import: commands that never open the store (--version, --help) skip it.
  const { BetterSqlite, nativeBinding } = sqlite();
  let db: Db;
  try {
    // `timeout` is SQLite's busy timeout.
    db = new BetterSqlite(path, { fileMustExist: false, readonly: opts.readonly ?? false, timeout: 10_000, nativeBinding });
  } catch (err) {
    throw new UserError(`cannot open the database ${path}: ${(err as Error).message}; ${HINT}`);
  }
  try {
    // One exec, not a statement per pragma.
    db.exec(`${opts.readonly ? '' : 'PRAGMA journal_mode = WAL; '}PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;`);
    migrate(db, path);
  } catch (err) {
    db.close();
    if (err instanceof UserError) throw err;
    const msg = (err as Error).message;
    if (/readonly|read-only/i.test(msg)) throw new UserError(`the database ${path} is read-only (${msg}); ${HINT}`);
    if (/not a database|malformed|corrupt/i.test(msg)) {
      throw new UserError(`database ${path} is damaged (${msg}); move it aside and baton will start a new one`);
    }
    throw new UserError(`cannot use database ${path}: ${msg}`);
  }
  return db;
}

const HINT = 'fix its permissions or choose another file with --db';

/**
 * better-sqlite3 and the path of its native addon. Left to itself it finds the addon with the
 * `bindings` package (two more modules, a stack trace and failed requires of the paths it tries
 * first: a few milliseconds of every command that opens the store); the first places `bindings`
 * tries are checked here in its order, and anything else is still left to it.
 */
function sqlite(): { BetterSqlite: typeof Database; nativeBinding: string | undefined } {
  const require = createRequire(import.meta.url);
  const main = require.resolve('better-sqlite3'); // <package>/lib/index.js
  const build = join(dirname(main), '..', 'build');
  const nativeBinding = ['', 'Debug', 'Release'].map((dir) => join(build, dir, 'better_sqlite3.node')).find((file) => existsSync(file));
  return { BetterSqlite: require(main) as typeof Database, nativeBinding };
}

/**
 * Refuses, with one line naming the file, a database that could be opened but not written: better
 * to say so now than to fail at the run's first write. (The folder must be writable too: SQLite
 * keeps its WAL and shared-memory files beside the database.)
 */
function checkWritable(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UserError(`cannot create the folder of the database ${path}: ${reason(err)}; ${HINT}`);
  }
  if (existsSync(path)) {
    if (!writable(path)) throw new UserError(`the database ${path} is read-only; ${HINT}`);
  }
  if (!writable(dir)) throw new UserError(`cannot write the database ${path}: its folder ${dir} is read-only; ${HINT}`);
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const reason = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file is in the way';
  if (code === 'EROFS') return 'read-only file system';
  return (err as Error).message;
};

function migrate(db: Db, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new UserError(
      `database ${path} was written by a newer baton (schema ${current}, this baton knows ${SCHEMA_VERSION}); upgrade baton or use --db with another file`,
    );
  }
  if (current === SCHEMA_VERSION) return;
  immediate(db, () => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < SCHEMA_VERSION; v++) {
      db.exec(migrations[v]!);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
}

/** Runs fn in a `BEGIN IMMEDIATE` transaction: takes the write lock up front, so it never fails half-way on SQLITE_BUSY. */
export function immediate<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

export const now = (): number => Date.now();

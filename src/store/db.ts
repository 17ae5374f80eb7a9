import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
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
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // Loaded here, not at import: commands that never open the store (--version, --help) skip it.
  const BetterSqlite = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  let db: Db;
  try {
    db = new BetterSqlite(path, { fileMustExist: false, readonly: opts.readonly ?? false, timeout: 10_000 });
  } catch (err) {
    throw new UserError(`cannot open database ${path}: ${(err as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 10000');
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
  } catch (err) {
    db.close();
    if (err instanceof UserError) throw err;
    const msg = (err as Error).message;
    if (/not a database|malformed|corrupt/i.test(msg)) {
      throw new UserError(`database ${path} is damaged (${msg}); move it aside and baton will start a new one`);
    }
    throw new UserError(`cannot use database ${path}: ${msg}`);
  }
  return db;
}

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

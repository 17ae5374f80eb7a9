/** Project identity with real git repositories: a clone, a move and a worktree are one project; a plain folder is its path. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizeOrigin } from '../../src/git/identity.js';
import { addLessons, relevantLessons } from '../../src/learning/lessons.js';
import { patternStats } from '../../src/learning/outcomes.js';
import { resolveProject } from '../../src/learning/project.js';
import { migrations } from '../../src/store/migrations.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { insertRun } from '../orchestrator/helpers.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';

let repo: TempRepo;
let base: string;
let db: Db;
beforeEach(() => {
  repo = makeTempRepo({ 'README.md': '# money\n' });
  base = realpathSync(mkdtempSync(join(tmpdir(), 'baton-identity-')));
  db = openDatabase(join(base, 'baton.db'));
});
afterEach(() => {
  db.close();
  repo.cleanup();
  rmSync(base, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const rootCommit = () => repo.git('rev-list', '--max-parents=0', 'HEAD').trim();

/** A lesson and a finished run written in `path`. */
function learnIn(path: string, text: string): void {
  const run = insertRun(db, { project: path, status: 'completed', pattern: 'review-loop' });
  addLessons(db, path, run, 'review-loop', [text]);
}

describe('project identity', () => {
  it('is the root commit: a clone shares lessons and statistics', () => {
    learnIn(repo.root, 'Currency formatting lives in src/money.ts');
    const clone = join(base, 'clone');
    git(base, 'clone', '-q', repo.root, clone);
    const a = resolveProject(db, repo.root);
    const b = resolveProject(db, clone);
    expect(a.key).toBe(`git:${rootCommit()}`);
    expect(b.key).toBe(a.key);
    expect(b.paths.sort()).toEqual([clone, repo.root].sort());
    expect(relevantLessons(db, clone, 'format the currency').map((l) => l.text)).toEqual(['Currency formatting lives in src/money.ts']);
    expect(patternStats(db, clone)[0]).toMatchObject({ pattern: 'review-loop', runs: 1 });
    // The path of the checkout it was written in is kept for display.
    expect(db.prepare('SELECT project FROM lessons').pluck().all()).toEqual([repo.root]);
  });

  it('survives a move and is shared by a worktree', () => {
    learnIn(repo.root, 'Run npm test after editing the parser');
    const key = resolveProject(db, repo.root).key;
    const moved = join(base, 'moved');
    renameSync(repo.root, moved);
    expect(resolveProject(db, moved).key).toBe(key);
    expect(relevantLessons(db, moved, 'edit the parser')).toHaveLength(1);
    const worktree = join(base, 'wt');
    git(moved, 'worktree', 'add', '-q', worktree);
    expect(resolveProject(db, worktree).key).toBe(key);
    expect(relevantLessons(db, worktree, 'edit the parser')).toHaveLength(1);
    renameSync(moved, repo.root); // for cleanup
  });

  it('is remembered while the same .git is there, and asked again of a new repository at the path', () => {
    const key = resolveProject(db, repo.root).key;
    const dbPath = join(base, 'baton.db');
    const path = process.env.PATH;
    // A later process: with no git to ask, only the remembered identity can give the key.
    const later = openDatabase(dbPath);
    process.env.PATH = '';
    try {
      expect(resolveProject(later, repo.root).key).toBe(key);
    } finally {
      process.env.PATH = path;
      later.close();
    }
    // A new repository at the same path (a fresh clone, `git init`): its own root commit.
    rmSync(join(repo.root, '.git'), { recursive: true, force: true });
    git(repo.root, 'init', '-q');
    git(repo.root, 'add', '.');
    git(repo.root, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'another history');
    const fresh = openDatabase(dbPath);
    try {
      expect(resolveProject(fresh, repo.root).key).toBe(`git:${rootCommit()}`);
      expect(resolveProject(fresh, repo.root).key).not.toBe(key);
    } finally {
      fresh.close();
    }
  });

  it('is the path for a folder that is not a repository', () => {
    const plain = join(base, 'plain');
    const other = join(base, 'other');
    mkdirSync(plain);
    mkdirSync(other);
    learnIn(plain, 'This folder holds shell scripts only');
    expect(resolveProject(db, plain)).toEqual({ key: plain, paths: [plain] });
    expect(relevantLessons(db, plain, 'edit the shell scripts')).toHaveLength(1);
    expect(relevantLessons(db, other, 'edit the shell scripts')).toEqual([]);
  });

  it('is the origin before the first commit, normalised', () => {
    const empty = join(base, 'empty');
    mkdirSync(empty);
    git(empty, 'init', '-q');
    git(empty, 'remote', 'add', 'origin', 'git@GitHub.com:Acme/Money.git');
    expect(resolveProject(db, empty).key).toBe('origin:github.com/Acme/Money');
    expect(normalizeOrigin('https://user@github.com/Acme/Money.git/')).toBe('github.com/Acme/Money');
    expect(normalizeOrigin('ssh://git@github.com/Acme/Money')).toBe('github.com/Acme/Money');
    expect(normalizeOrigin('/srv/git/money.git')).toBe('/srv/git/money');
  });

  it('moves the lessons of a database written before identities to the key', () => {
    // A version-2 database (before migration 3) with a lesson keyed by the checkout's path.
    const oldPath = join(base, 'old.db');
    const BetterSqlite = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
    const old = new BetterSqlite(oldPath);
    old.exec(migrations[0]!);
    old.exec(migrations[1]!);
    old.pragma('user_version = 2');
    old.prepare("INSERT INTO threads (id, project, created_at, updated_at) VALUES ('t_1', ?, 0, 0)").run(repo.root);
    old
      .prepare(
        "INSERT INTO runs (id, thread_id, project, prompt, status, model, permission_mode, started_at, finished_at) VALUES ('r_1', 't_1', ?, 'fix the money parser', 'completed', 'm', 'ask', 0, 1)",
      )
      .run(repo.root);
    old
      .prepare("INSERT INTO lessons (project, run_id, pattern, text, weight, created_at) VALUES (?, 'r_1', 'direct', 'Money parsing has golden files', 1.5, 0)")
      .run(repo.root);
    old.close();

    const migrated = openDatabase(oldPath);
    try {
      expect(migrated.prepare('SELECT project_key, prompt FROM lessons').get()).toEqual({ project_key: repo.root, prompt: 'fix the money parser' });
      expect(migrated.prepare('SELECT lesson_id, run_id, op FROM lesson_sources').all()).toEqual([{ lesson_id: 1, run_id: 'r_1', op: 'add' }]);
      const clone = join(base, 'clone2');
      git(base, 'clone', '-q', repo.root, clone);
      resolveProject(migrated, repo.root); // the first run in the old checkout moves its rows
      expect(migrated.prepare('SELECT project_key FROM lessons').pluck().get()).toBe(`git:${rootCommit()}`);
      expect(relevantLessons(migrated, clone, 'the money parser').map((l) => l.text)).toEqual(['Money parsing has golden files']);
    } finally {
      migrated.close();
    }
  });
});

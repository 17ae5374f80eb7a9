/** Minimal real rows and repository probes for the git safety net's tests. */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { RunStatus } from '../../src/core/events.js';
import { openCheckpointer, type RunCheckpointer } from '../../src/git/checkpoint.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { seedRun } from '../support/seed.js';

/** The database the CLI uses for this repo's BATON_HOME. */
export const openHomeDb = (repo: TempRepo): Db => openDatabase(join(repo.home, 'baton.db'));

/** A thread and a run in `project`, as the run lifecycle would have written them (test/support/seed.ts). */
export function insertRun(db: Db, project: string, opts: { id?: string; prompt?: string; status?: RunStatus } = {}): string {
  return seedRun(db, {
    project,
    prompt: opts.prompt ?? 'change some files',
    status: opts.status ?? 'completed',
    options: { model: 'claude-test', orchestratorModel: 'claude-test', permissionMode: 'bypass' },
    ...(opts.id ? { id: opts.id } : {}),
  });
}

export interface Notices {
  messages: string[];
  emitNotice: (message: string) => void;
}

export function collectNotices(): Notices {
  const messages: string[] = [];
  return { messages, emitNotice: (m) => messages.push(m) };
}

export async function checkpointerFor(db: Db, repo: TempRepo, runId: string, notices = collectNotices()): Promise<RunCheckpointer> {
  return openCheckpointer({ db, root: repo.root, runId, emitNotice: notices.emitNotice });
}

/** Runs a shell command in the repo, as the `bash` tool would. */
export const sh = (repo: TempRepo, command: string): string => execFileSync('sh', ['-c', command], { cwd: repo.root, encoding: 'utf8' });

/** What the user sees of git: none of it may change when baton checkpoints or undoes. */
export function userGitState(repo: TempRepo): { head: string; branch: string; staged: string; stash: string } {
  return {
    head: repo.git('rev-parse', 'HEAD').trim(),
    branch: repo.git('symbolic-ref', '-q', 'HEAD').trim(),
    staged: repo.git('diff', '--cached', '--name-status'),
    stash: repo.git('stash', 'list'),
  };
}

/** A small project: two files to edit, one to delete (executable), the user's own files, an ignored folder. */
export const BASE_FILES: Record<string, string> = {
  'src/a.txt': 'alpha\n',
  'src/b.txt': 'beta\n',
  'tools/old.sh': '#!/bin/sh\necho old\n',
  'staged.txt': 'staged: original\n',
  'stashed.txt': 'stashed: original\n',
  '.gitignore': 'build/\n',
};

/** Gives the user a staged change and a stash entry (in a repo made from BASE_FILES): baton must leave them alone. */
export function userWorkInProgress(repo: TempRepo): void {
  repo.write('stashed.txt', 'stashed work\n');
  repo.git('stash', 'push', '-q', '-m', 'user stash', '--', 'stashed.txt');
  repo.write('staged.txt', 'staged by the user\n');
  repo.git('add', 'staged.txt');
}

/** A repository made from BASE_FILES, with tools/old.sh committed as executable. */
export function makeProject(): TempRepo {
  const repo = makeTempRepo(BASE_FILES);
  chmodSync(join(repo.root, 'tools/old.sh'), 0o755);
  repo.git('commit', '-qam', 'make old.sh executable');
  return repo;
}

/** What a run does in tests: two edits, one create, one delete; one edit and the delete through a shell. */
export function simulateRunEdits(repo: TempRepo): void {
  repo.write('src/a.txt', 'alpha, edited by edit_file\n');
  sh(repo, "printf 'beta, appended by bash\\n' >> src/b.txt && rm tools/old.sh");
  repo.write('docs/my notes.md', '# created by write_file\n');
  repo.write('build/out.log', 'ignored output\n');
}

export const RUN_CHANGES = { created: ['docs/my notes.md'], modified: ['src/a.txt', 'src/b.txt'], deleted: ['tools/old.sh'] };

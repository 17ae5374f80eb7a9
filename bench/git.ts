/**
 * Checkpoint cost in a repository of 10,000 files (committed, plus some modified and untracked),
 * as a ratio to `git status` on the same repository. Target: at most 3x.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../src/core/ids.js';
import { openCheckpointer, type RunCheckpointer } from '../src/git/checkpoint.js';
import { git } from '../src/git/exec.js';
import { openDatabase, type Db } from '../src/store/db.js';
import { medianMs, type BenchRow } from './harness.js';

const FILES = 10_000;
const DIRS = 100;
const MODIFIED = 50;
const UNTRACKED = 50;
const RUNS = 15;

export default async function bench(): Promise<BenchRow[]> {
  const base = mkdtempSync(join(tmpdir(), 'baton-bench-git-'));
  const root = join(base, 'repo');
  const db = openDatabase(join(base, 'baton.db'));
  try {
    makeRepo(root);
    const threadId = newId('t');
    db.prepare('INSERT INTO threads (id, project, created_at, updated_at) VALUES (?, ?, 0, 0)').run(threadId, root);
    const newRun = () => insertRun(db, threadId, root);

    const status = await medianMs(() => git(root, ['status', '--porcelain']), RUNS);
    // What a run pays before its first change: open (is this a repository?) and snapshot.
    const snapshot = await medianMs(async () => {
      const cp = await openCheckpointer({ db, root, runId: newRun(), emitNotice: failOnNotice });
      await cp.ensureSnapshot();
    }, RUNS);
    // What it pays when it ends: the end snapshot and the diff (one file changed).
    const checkpointers: RunCheckpointer[] = [];
    for (let n = 0; n < RUNS + 2; n++) {
      const cp = await openCheckpointer({ db, root, runId: newRun(), emitNotice: failOnNotice });
      await cp.ensureSnapshot();
      checkpointers.push(cp);
    }
    let i = 0;
    const finish = await medianMs(async () => {
      writeFileSync(join(root, 'd0/f0.txt'), `changed ${i}\n`);
      await checkpointers[i++]!.finish();
    }, RUNS);

    const baseline = { name: 'git status', value: status };
    return [
      { name: `checkpoint before a run (${FILES} files)`, value: snapshot, unit: 'ms', baseline, target: '<= 3x git status', ok: snapshot <= 3 * status },
      { name: `checkpoint at the end of a run (${FILES} files)`, value: finish, unit: 'ms', baseline },
    ];
  } finally {
    db.close();
    rmSync(base, { recursive: true, force: true });
  }
}

function makeRepo(root: string): void {
  for (let d = 0; d < DIRS; d++) {
    mkdirSync(join(root, `d${d}`), { recursive: true });
    for (let f = 0; f < FILES / DIRS; f++) writeFileSync(join(root, `d${d}`, `f${f}.txt`), `file ${d}/${f}\n`);
  }
  const run = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@e', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@e' },
    });
  run('init', '-q', '-b', 'main');
  run('add', '-A');
  run('commit', '-qm', 'initial');
  for (let m = 0; m < MODIFIED; m++) writeFileSync(join(root, `d${m % DIRS}`, `f${m}.txt`), 'modified\n');
  for (let u = 0; u < UNTRACKED; u++) writeFileSync(join(root, `d${u % DIRS}`, `new${u}.txt`), 'untracked\n');
  // Past git's racy-timestamp window, a status leaves the index's stat cache as a user's would be.
  execFileSync('sleep', ['1.1']);
  run('status', '--porcelain');
}

function insertRun(db: Db, threadId: string, root: string): string {
  const id = newId('r');
  db.prepare(
    `INSERT INTO runs (id, thread_id, project, prompt, status, model, permission_mode, started_at) VALUES (?, ?, ?, 'bench', 'running', 'm', 'bypass', 0)`,
  ).run(id, threadId, root);
  return id;
}

function failOnNotice(message: string): void {
  throw new Error(`checkpoint failed in the benchmark: ${message}`);
}

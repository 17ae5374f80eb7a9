/**
 * Review commands at scale, timed as whole processes (what a person waits for): history, show,
 * stats and search on a database of 100k runs / ~1M tool calls, and on an empty one, against
 * `baton --version` measured in the same run.
 * Targets on the big database: history, show and search <= 1.3x `baton --version`, stats <= 1.5x
 * (wall time, and CPU time, steadier on a loaded machine); on the empty one, under 1.5x.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openDatabase } from '../src/store/db.js';
import { projectRoot } from '../src/cli/project.js';
import { processMs, ratioRows, type BenchRow } from './harness.js';
import { cachedBenchDb } from './gen-db.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO, 'dist/cli/main.js');

function baton(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.BATON_HOME;
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export default async function suite(): Promise<BenchRow[]> {
  const project = projectRoot(REPO);
  const big = cachedBenchDb(join(REPO, '.bench'), project);
  const rows: BenchRow[] = [];
  if (big.generatedMs !== undefined) {
    rows.push({ name: 'review: generate 100k-run database', value: big.generatedMs / 1000, unit: 's', target: '< 60 s', ok: big.generatedMs < 60_000 });
  }

  // A run of the main project with a full record (plan-execute: decisions, agents, tool calls), by a short prefix.
  const db = new Database(big.path, { readonly: true });
  const runId = db
    .prepare(`SELECT id FROM runs WHERE project = ? AND pattern = 'plan-execute' AND status = 'completed' ORDER BY started_at DESC LIMIT 1 OFFSET 100`)
    .pluck()
    .get(project) as string;
  db.close();

  const emptyDir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  const empty = join(emptyDir, 'empty.db');
  openDatabase(empty).close();

  const commands: [string, string[]][] = [
    ['history', ['history']],
    ['show', ['show', runId.slice(0, 10)]],
    ['stats', ['stats']],
    ['search', ['search', 'parser', 'error']],
  ];
  try {
    const version = { name: 'baton --version', ...(await processMs(() => baton(['--version']), 15, 3)) };
    for (const [name, args] of commands) {
      const check = await baton([...args, '--db', big.path]);
      if (check.code !== 0) throw new Error(`${name} failed on the big database: ${check.stderr}`);
      const m = await processMs(() => baton([...args, '--db', big.path]), 10, 2);
      rows.push(...ratioRows(`review: ${name} (100k runs)`, m, version, name === 'stats' ? 1.5 : 1.3));
    }
    for (const [name, args] of commands) {
      const m = await processMs(() => baton([...args, '--db', empty]), 10, 2);
      rows.push(...ratioRows(`review: ${name} (empty db)`, m, version, 1.5));
    }
  } finally {
    rmSync(emptyDir, { recursive: true, force: true });
  }
  return rows;
}

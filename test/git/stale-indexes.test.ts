import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { indexDirPrefix, processAlive, removeStaleIndexDirs } from '../../src/git/stale-indexes.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('stale private index folders', () => {
  it("removes a dead process's folders and old unnamed ones; keeps live processes' and recent unnamed ones", async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'baton-stale-test-'));
    dirs.push(tmp);
    // A pid that surely belongs to no process: one that has just exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    expect(processAlive(dead)).toBe(false);
    const make = (name: string) => {
      mkdirSync(join(tmp, name));
      writeFileSync(join(tmp, name, 'index'), 'x');
      return name;
    };
    const deadDir = make(`${indexDirPrefix(dead)}abc123`);
    const mine = make(`${indexDirPrefix()}def456`);
    const parent = make(`${indexDirPrefix(process.ppid)}ghi789`);
    const oldUnnamed = make('baton-index-Zx81ab');
    const newUnnamed = make('baton-index-Qw12cd');
    const other = make('something-else');
    const dayAgo = (Date.now() - 25 * 3600 * 1000) / 1000;
    utimesSync(join(tmp, oldUnnamed), dayAgo, dayAgo);

    const removed = await removeStaleIndexDirs(tmp);
    expect(removed.sort()).toEqual([deadDir, oldUnnamed].sort());
    expect(readdirSync(tmp).sort()).toEqual([mine, parent, newUnnamed, other].sort());
    expect(existsSync(join(tmp, deadDir))).toBe(false);
  });

  it('a missing temp directory is no error', async () => {
    expect(await removeStaleIndexDirs(join(tmpdir(), 'baton-no-such-dir-xyz'))).toEqual([]);
  });
});

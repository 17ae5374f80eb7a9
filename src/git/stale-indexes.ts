/**
 * Private index folders (`baton-index-<pid>-*` in the temp directory) that a killed process left
 * behind. A folder is removed only when the process named in it is gone; a live process's folder
 * (or one whose pid was reused by a live process) is kept. Folders from before the pid was in the
 * name are removed once they are a day old.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INDEX_DIR_PREFIX = 'baton-index-';
const NAMED = /^baton-index-(\d+)-/;
const OLD_UNNAMED_MS = 24 * 60 * 60 * 1000;

/** The mkdtemp prefix for this process's index folders. */
export const indexDirPrefix = (pid = process.pid): string => `${INDEX_DIR_PREFIX}${pid}-`;

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes what dead processes left; returns the folders removed. Never throws. */
export async function removeStaleIndexDirs(dir = tmpdir(), alive: (pid: number) => boolean = processAlive, nowMs = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.startsWith(INDEX_DIR_PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = NAMED.exec(name)?.[1];
    try {
      if (pid !== undefined) {
        if (Number(pid) === process.pid || alive(Number(pid))) continue;
      } else if (nowMs - (await stat(join(dir, name))).mtimeMs < OLD_UNNAMED_MS) continue;
      await rm(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Another process removed it first, or it is not ours to remove: leave it.
    }
  }
  return removed;
}

let swept: Promise<unknown> | undefined;
/** Once per process, before its first index folder. */
export const sweepStaleIndexDirsOnce = (): Promise<unknown> => (swept ??= removeStaleIndexDirs());

import { rm, rmdir } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { git, nulList } from './exec.js';
import { PrivateIndex } from './snapshot.js';

/**
 * Writes `paths` into the working tree as they are in `commit` (content, executable bit,
 * symlinks, checkout filters), through a private index: the user's index is never touched.
 */
export async function restoreFromCommit(root: string, commit: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const index = await PrivateIndex.create();
  try {
    await git(root, ['read-tree', commit], { env: index.env });
    await git(root, ['checkout-index', '-f', '-z', '--stdin'], { env: index.env, input: nulList(paths) });
  } finally {
    await index.dispose();
  }
}

/** Deletes files (repository-relative) and the directories they leave empty. */
export async function removeFiles(root: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    // Paths come from git's own diff output; this only guards against a tampered database.
    if (isAbsolute(path) || path.split('/').includes('..')) throw new Error(`refusing to delete ${path}: outside the repository`);
    await rm(join(root, path), { force: true });
    for (let dir = dirname(path); dir !== '.' && dir !== '/'; dir = dirname(dir)) {
      try {
        await rmdir(join(root, dir));
      } catch {
        break; // not empty (or gone): its parents are not empty either
      }
    }
  }
}

import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyChanges, type RunChanges } from '../store/checkpoints.js';
import { git, splitNul } from './exec.js';
import { indexDirPrefix, sweepStaleIndexDirsOnce } from './stale-indexes.js';
import type { GitRepo } from './repo.js';

/** Snapshot commits are baton's own, made without the user's identity or signing setup. */
const SNAPSHOT_IDENTITY = {
  GIT_AUTHOR_NAME: 'baton',
  GIT_AUTHOR_EMAIL: 'baton@noreply.invalid',
  GIT_COMMITTER_NAME: 'baton',
  GIT_COMMITTER_EMAIL: 'baton@noreply.invalid',
};

/**
 * An index file of baton's own. Seeded with a copy of the user's index, so git's stat cache
 * lets `git add -A` skip every file unchanged since the user's last git command; the user's
 * index itself is never written.
 */
export class PrivateIndex {
  private constructor(
    readonly path: string,
    private readonly dir: string,
  ) {}

  /** An empty index, or a copy of `seed`'s. */
  static async create(seed?: GitRepo): Promise<PrivateIndex> {
    await sweepStaleIndexDirsOnce();
    // The pid in the name lets a later process remove this folder if this one is killed.
    const dir = await mkdtemp(join(tmpdir(), indexDirPrefix()));
    const index = new PrivateIndex(join(dir, 'index'), dir);
    if (seed) {
      try {
        await copyFile(seed.indexPath, index.path);
      } catch (err) {
        // A repository with nothing ever added has no index yet: start empty.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          await index.dispose();
          throw err;
        }
      }
    }
    return index;
  }

  get env(): Record<string, string> {
    return { GIT_INDEX_FILE: this.path };
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Writes the whole working tree (tracked and untracked files, not ignored ones) as a tree object through `index`. */
export async function writeWorkingTree(root: string, index: PrivateIndex): Promise<string> {
  await git(root, ['add', '-A'], { env: index.env });
  return (await git(root, ['write-tree'], { env: index.env })).trim();
}

/** A snapshot commit of `tree`; no ref, HEAD or user index changes. */
export async function commitSnapshot(root: string, tree: string, parent: string | null, message: string): Promise<string> {
  const args = ['commit-tree', tree, '--no-gpg-sign', '-m', message];
  if (parent) args.push('-p', parent);
  return (await git(root, args, { env: SNAPSHOT_IDENTITY })).trim();
}

export async function snapshotWorkingTree(root: string, index: PrivateIndex, parent: string | null, message: string): Promise<string> {
  return commitSnapshot(root, await writeWorkingTree(root, index), parent, message);
}

/** Files that differ between two snapshots, by kind of change (renames count as delete + create). */
export async function diffSnapshots(root: string, from: string, to: string): Promise<RunChanges> {
  const out = splitNul(await git(root, ['diff-tree', '-r', '-z', '--no-renames', '--name-status', from, to]));
  const changes = emptyChanges();
  for (let i = 0; i + 1 < out.length; i += 2) {
    const status = out[i]!;
    const path = out[i + 1]!;
    if (status === 'A') changes.created.push(path);
    else if (status === 'D') changes.deleted.push(path);
    else changes.modified.push(path); // M, or T (a file became a symlink)
  }
  return changes;
}

/** Every path that differs between two snapshots. */
export async function changedPaths(root: string, from: string, to: string): Promise<Set<string>> {
  const changes = await diffSnapshots(root, from, to);
  return new Set([...changes.created, ...changes.modified, ...changes.deleted]);
}

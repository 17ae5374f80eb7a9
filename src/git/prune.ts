import { existingRunIds } from '../store/checkpoints.js';
import type { Db } from '../store/db.js';
import { CHECKPOINT_REF_PREFIX, deleteRefs, listRefs, probeRepo } from './repo.js';

/**
 * Deletes checkpoint refs whose run is no longer in the database (retention removed it, or a
 * crash left the ref without its row), so git can collect their snapshots. Checks against every
 * run in the database, not only this project's: linked worktrees of one repository share refs.
 * Returns how many refs were deleted; 0 outside a repository.
 */
export async function pruneCheckpointRefs(db: Db, root: string): Promise<number> {
  const probe = await probeRepo(root);
  if (!probe.repo) return 0;
  const refs = await listRefs(root, CHECKPOINT_REF_PREFIX);
  const alive = existingRunIds(
    db,
    refs.map((ref) => ref.slice(CHECKPOINT_REF_PREFIX.length)),
  );
  const stale = refs.filter((ref) => !alive.has(ref.slice(CHECKPOINT_REF_PREFIX.length)));
  await deleteRefs(root, stale);
  return stale.length;
}

/** `baton show` once commander has parsed it (loaded by commands/review.ts as one module, see there). */
import type { Command } from 'commander';
import { UserError } from '../../../core/errors.js';
import { latestRunId, resolveId } from '../../../store/views/ids.js';
import { print, printJson, withReview } from '../context.js';
import { terminalView } from '../format.js';
import { renderRunDetail, renderRunDiffs, renderThread, runDetailJson, threadJson } from '../show.js';

export async function showCommand(id: string | undefined, flags: { json?: boolean; diff?: boolean }, cmd: Command): Promise<void> {
  const opts = terminalView();
  await withReview(cmd, { needRuns: 'any' }, ({ db, project }) => {
    const target = id === undefined ? { kind: 'run' as const, id: latestRunId(db, project) } : resolveId(db, id);
    if (!target.id) throw new UserError(`no runs recorded for ${project} yet; give a run id`);
    if (flags.diff) {
      if (target.kind === 'thread') throw new UserError('--diff shows one run; give a run id');
      print(renderRunDiffs(db, target.id, opts));
    } else if (flags.json) printJson(target.kind === 'thread' ? threadJson(db, target.id) : runDetailJson(db, target.id));
    else print(target.kind === 'thread' ? renderThread(db, target.id, opts) : renderRunDetail(db, target.id, opts));
  });
}

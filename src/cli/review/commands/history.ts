/** `baton history` once commander has parsed it (loaded by commands/review.ts as one module, see there). */
import type { Command } from 'commander';
import type { RunStatus } from '../../../core/events.js';
import { print, printJson, sinceFlag, withReview, type ScopeFlags } from '../context.js';
import { terminalView } from '../format.js';
import { historyJson, renderHistory } from '../history.js';

export async function historyCommand(flags: ScopeFlags & { limit: number; status?: RunStatus; pattern?: string }, cmd: Command): Promise<void> {
  const opts = { ...flags, since: await sinceFlag(flags), ...terminalView() };
  await withReview(cmd, { needRuns: 'project', allProjects: flags.allProjects }, ({ db, project }) =>
    flags.json ? printJson(historyJson(db, project, opts)) : print(renderHistory(db, project, opts)),
  );
}

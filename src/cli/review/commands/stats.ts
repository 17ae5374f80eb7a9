/** `baton stats` once commander has parsed it (loaded by commands/review.ts as one module, see there). */
import type { Command } from 'commander';
import { print, printJson, sinceFlag, withReview, type ScopeFlags } from '../context.js';
import { terminalView } from '../format.js';
import { renderStats, statsJson, statsPrometheus } from '../stats.js';

export async function statsCommand(flags: ScopeFlags & { format: string }, cmd: Command): Promise<void> {
  const opts = { ...flags, since: await sinceFlag(flags), ...terminalView() };
  const format = flags.json ? 'json' : flags.format;
  await withReview(cmd, { needRuns: 'project', allProjects: flags.allProjects }, ({ db, project }) => {
    if (format === 'json') printJson(statsJson(db, project, opts));
    else if (format === 'prometheus') print(statsPrometheus(db, project, opts));
    else print(renderStats(db, project, opts));
  });
}

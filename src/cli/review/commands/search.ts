/** `baton search` once commander has parsed it (loaded by commands/review.ts as one module, see there). */
import type { Command } from 'commander';
import { print, printJson, withReview, type ScopeFlags } from '../context.js';
import { terminalView } from '../format.js';
import { renderSearch, searchJson } from '../search.js';

export async function searchCommand(words: string[], flags: ScopeFlags & { limit: number }, cmd: Command): Promise<void> {
  const opts = { ...flags, ...terminalView() };
  const text = words.join(' ');
  await withReview(cmd, { needRuns: 'project', allProjects: flags.allProjects }, ({ db, project }) =>
    flags.json ? printJson(searchJson(db, project, text, opts)) : print(renderSearch(db, project, text, opts)),
  );
}

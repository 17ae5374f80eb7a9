import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { hasRuns } from '../../store/views/history.js';
import { databasePath } from '../../store/location.js';
import { commandContext, globalOptions, type CommandContext } from '../globals.js';

/** The database file of this command and whether it exists: review commands never create one. */
export function existingDatabase(cmd: Command): { path: string; exists: boolean } {
  const path = databasePath(globalOptions(cmd).db);
  return { path, exists: existsSync(path) };
}

/**
 * Opens the store for a review command, runs `fn`, closes the store. An empty database, or (with
 * `needRuns: 'project'` and no `allProjects`) a project with no runs, is a one-line usage error.
 */
export async function withReview<T>(
  cmd: Command,
  opts: { needRuns: 'project' | 'any'; allProjects?: boolean | undefined },
  fn: (ctx: CommandContext) => T | Promise<T>,
): Promise<T> {
  const database = existingDatabase(cmd);
  if (!database.exists) throw new UserError(`nothing recorded yet (no database at ${database.path}); run baton in a project first`);
  const ctx = commandContext(cmd);
  try {
    const runs = hasRuns(ctx.db, opts.needRuns === 'project' && !opts.allProjects ? ctx.project : undefined);
    if (!runs.anywhere) throw new UserError(`nothing recorded yet: ${ctx.dbPath} has no runs; run baton in a project first`);
    if (!runs.here) throw new UserError(`no runs recorded for ${ctx.project} yet; add --all-projects to see other projects`);
    return await fn(ctx);
  } finally {
    ctx.db.close();
  }
}

let pipeGuarded = false;

/** Writes a view to stdout; a reader that goes away early (`| head`) ends the output quietly. */
export function print(text: string): void {
  if (!pipeGuarded) {
    pipeGuarded = true;
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export const printJson = (value: unknown): void => print(JSON.stringify(value, null, 2));

/** The flags the review commands share. */
export interface ScopeFlags {
  allProjects?: boolean;
  since?: string;
  json?: boolean;
}

/** `--since` as epoch ms; its parser is loaded only when the flag is given. */
export async function sinceFlag(flags: { since?: string | undefined }): Promise<number | undefined> {
  if (flags.since === undefined) return undefined;
  const { parseTimeSpec } = await import('./time-spec.js');
  return parseTimeSpec(flags.since, '--since');
}

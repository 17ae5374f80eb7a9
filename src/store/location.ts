import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';

/**
 * `--db` wins, then `$BATON_HOME/baton.db`, then `$XDG_DATA_HOME/baton/baton.db`, then `~/.local/share/baton/baton.db`.
 * A home-derived location must be usable (HOME set, the folder creatable): otherwise one line saying to set BATON_HOME.
 */
export function databasePath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined) {
    // Node would cut the name at the NUL or throw a raw error later.
    if (explicit.includes('\0')) throw new UserError('--db: the file name contains a NUL byte');
    if (!explicit.trim()) throw new UserError('--db: the file name is empty');
    return explicit;
  }
  const home = batonHome(env);
  if (!env.BATON_HOME) checkUsableHome(home, env);
  return join(home, 'baton.db');
}

export function batonHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BATON_HOME) return env.BATON_HOME;
  const xdg = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdg, 'baton');
}

const SET_HOME = 'set BATON_HOME to a writable folder (e.g. export BATON_HOME=/tmp/baton)';

/** The folder exists and is writable, or its nearest existing ancestor is (so it can be created). */
function checkUsableHome(home: string, env: NodeJS.ProcessEnv): void {
  if (!env.HOME && !env.XDG_DATA_HOME) throw new UserError(`no home folder for baton's database (HOME is not set); ${SET_HOME}`);
  let dir = home;
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
      continue;
    }
    if (!isDir) throw new UserError(`no usable home folder for baton's database (${dir} is not a folder); ${SET_HOME}`);
    try {
      accessSync(dir, constants.W_OK);
      return;
    } catch {
      break;
    }
  }
  throw new UserError(`no usable home folder for baton's database (cannot create ${home}: ${dir} is not writable); ${SET_HOME}`);
}

import { homedir } from 'node:os';
import { join } from 'node:path';

/** `--db` wins, then `$BATON_HOME/baton.db`, then `$XDG_DATA_HOME/baton/baton.db`, then `~/.local/share/baton/baton.db`. */
export function databasePath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return explicit;
  return join(batonHome(env), 'baton.db');
}

export function batonHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BATON_HOME) return env.BATON_HOME;
  const xdg = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdg, 'baton');
}

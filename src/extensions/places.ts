import { join } from 'node:path';
import { batonHome } from '../store/location.js';
import type { ExtensionContext, ExtensionSource } from './types.js';

export interface Place {
  dir: string;
  source: ExtensionSource;
}

/** `.baton/<kind>` in the project, then `$BATON_HOME/<kind>`: earlier places win on a name clash. */
export function places(ctx: ExtensionContext, kind: 'agents' | 'playbooks'): Place[] {
  const list: Place[] = [{ dir: join(ctx.root, '.baton', kind), source: 'project' }];
  // Claude Code's sub-agent files are read too, so a team's existing agents work unchanged.
  if (kind === 'agents') list.push({ dir: join(ctx.root, '.claude', 'agents'), source: 'project' });
  list.push({ dir: join(batonHome(ctx.env), kind), source: 'user' });
  return list;
}

export const projectConfigPath = (root: string): string => join(root, '.baton', 'config.json');
export const userConfigPath = (env?: NodeJS.ProcessEnv): string => join(batonHome(env), 'config.json');
export const projectMcpPath = (root: string): string => join(root, '.mcp.json');
export const userMcpPath = (env?: NodeJS.ProcessEnv): string => join(batonHome(env), 'mcp.json');

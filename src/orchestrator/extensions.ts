/**
 * What a project and its user added, as one run sees it: agent files, playbooks, the patterns the
 * config retired, the process's MCP servers; and the menu the orchestrator chooses from. Files are
 * read at every run start (a session sees an edited agent file on its next prompt); the YAML parser
 * loads only when there is a directory to read.
 */
import { existsSync } from 'node:fs';
import { roleIds } from '../agents/roles.js';
import type { AgentFile } from '../extensions/agents.js';
import { places, projectMcpPath, userMcpPath } from '../extensions/places.js';
import type { Playbook } from '../extensions/playbooks.js';
import { formatWarning, type ExtensionWarning } from '../extensions/types.js';
import { patternIds } from '../patterns/catalog.js';
import type { DecisionMenu } from '../patterns/decision.js';
import type { McpRuntime } from './mcp.js';

/** What the front end (print mode, the session) hands every run: loaded once per process. */
export interface RunExtensions {
  /** From `.baton/config.json` and `$BATON_HOME/config.json` (src/extensions/config.ts). */
  disabledPatterns: readonly string[];
  mcp?: McpRuntime | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

export interface LoadedExtensions {
  agents: AgentFile[];
  agentsHash: string;
  playbooks: Playbook[];
  menu: DecisionMenu;
  /** What the orchestrator's system prompt says of them ('' for none). */
  agentsText: string;
  playbooksText: string;
  /** Configured MCP server names (not connected for the decision). */
  mcpServers: string[];
  warnings: ExtensionWarning[];
}

const EMPTY_HASH = '';

export async function loadExtensions(root: string, ext: RunExtensions | undefined): Promise<LoadedExtensions> {
  const ctx = { root, ...(ext?.env ? { env: ext.env } : {}) };
  const warnings: ExtensionWarning[] = [];
  const has = (kind: 'agents' | 'playbooks') => places(ctx, kind).some((p) => existsSync(p.dir));
  let agents: AgentFile[] = [];
  let agentsHash = EMPTY_HASH;
  let agentsText = '';
  if (has('agents')) {
    const mod = await import('../extensions/agents.js');
    const set = mod.loadAgentFiles(ctx);
    agentsText = mod.describeAgents(set.agents);
    agents = set.agents;
    agentsHash = set.hash;
    warnings.push(...set.warnings);
  }
  let playbooks: Playbook[] = [];
  let describePlaybooks: ((p: readonly Playbook[]) => string) | undefined;
  if (has('playbooks')) {
    const mod = await import('../extensions/playbooks.js');
    const set = mod.loadPlaybooks(ctx);
    describePlaybooks = mod.describePlaybooks;
    playbooks = set.playbooks;
    warnings.push(...set.warnings);
  }
  const disabled = new Set(ext?.disabledPatterns ?? []);
  for (const name of disabled) {
    if (!(patternIds as readonly string[]).includes(name))
      warnings.push({ file: 'config.json', field: 'disabledPatterns', message: `no pattern "${name}" (the patterns are ${patternIds.join(', ')}); ignored` });
  }
  let patterns = patternIds.filter((p) => !disabled.has(p));
  if (!patterns.length) {
    warnings.push({ file: 'config.json', field: 'disabledPatterns', message: 'every pattern is disabled; direct is kept' });
    patterns = ['direct'];
  }
  const offered = patterns.includes('plan-execute') ? playbooks : [];
  return {
    agents,
    agentsHash,
    playbooks,
    menu: { patterns, roles: [...roleIds, ...agents.map((a) => a.name)], playbooks: offered.map((p) => p.id) },
    agentsText,
    playbooksText: offered.length && describePlaybooks ? describePlaybooks(offered) : '',
    mcpServers: ext?.mcp?.serverNames() ?? [],
    warnings,
  };
}

const shown = new Set<string>();

/** Each problem once per process (a session would otherwise repeat it before every prompt). */
export function freshWarnings(warnings: readonly ExtensionWarning[]): string[] {
  const out: string[] = [];
  for (const w of warnings) {
    const line = formatWarning(w);
    if (shown.has(line)) continue;
    shown.add(line);
    out.push(line);
  }
  return out;
}

/** Whether an MCP file exists at all: without one, not even the MCP config reader is loaded. */
export function mcpConfigured(root: string, env?: NodeJS.ProcessEnv): boolean {
  return existsSync(projectMcpPath(root)) || existsSync(userMcpPath(env));
}

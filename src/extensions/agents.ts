/**
 * Agent files: `.baton/agents/*.md`, `.claude/agents/*.md` and `$BATON_HOME/agents/*.md`. YAML front
 * matter (name, description, tools, model, effort, maxTurns) and a body that is the agent's system prompt.
 */
import { join } from 'node:path';
import * as z from '../core/zod.js';
import { displayPath, listFiles, readText, sha256 } from './files.js';
import { parseFrontMatter } from './front-matter.js';
import { places } from './places.js';
import type { ExtensionContext, ExtensionSource, ExtensionWarning } from './types.js';
import { firstIssue } from './zod-issue.js';

/** The built-in roles (src/agents/roles.ts, a higher layer): an agent file may not take their names. */
export const BUILT_IN_ROLES = ['explorer', 'coder', 'reviewer', 'planner', 'summarizer'] as const;

/** The coder's tools (src/agents/roles.ts; a test keeps the two equal): what an agent file without `tools` gets. */
export const DEFAULT_AGENT_TOOLS: readonly string[] = ['read_file', 'list_files', 'glob', 'grep', 'edit_file', 'write_file', 'bash'];

/** Claude Code's tool names, so its agent files work unchanged. */
export const CLAUDE_TOOL_NAMES: Readonly<Record<string, string>> = {
  Read: 'read_file',
  Write: 'write_file',
  Edit: 'edit_file',
  MultiEdit: 'edit_file',
  Bash: 'bash',
  Grep: 'grep',
  Glob: 'glob',
  LS: 'list_files',
};

const OUR_TOOLS = new Set(DEFAULT_AGENT_TOOLS);
export const MCP_TOOL_NAME = /^mcp__[A-Za-z0-9_-]+__[A-Za-z0-9_-]+$/;

const AgentFront = z.looseObject({
  name: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _ only (at most 64)')),
  description: z.string().check(z.trim(), z.minLength(1)),
  tools: z.optional(z.union([z.string(), z.array(z.string())])),
  model: z.optional(z.string().check(z.trim(), z.minLength(1))),
  effort: z.optional(z.enum(['low', 'medium', 'high', 'xhigh', 'max'])),
  maxTurns: z.optional(z.number().check(z.int(), z.positive(), z.maximum(500))),
});

export interface AgentFile {
  name: string;
  description: string;
  /** Our tool names (Claude Code names mapped; MCP tools as `mcp__server__tool`). */
  tools: string[];
  model?: string;
  effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max';
  maxTurns?: number;
  /** The system prompt. */
  system: string;
  path: string;
  source: ExtensionSource;
  /** sha256 of the file's text. */
  hash: string;
}

export interface AgentSet {
  agents: AgentFile[];
  warnings: ExtensionWarning[];
  /** sha256 over every loaded agent file: changes only when a file does. */
  hash: string;
}

export function loadAgentFiles(ctx: ExtensionContext): AgentSet {
  const byName = new Map<string, AgentFile>();
  const warnings: ExtensionWarning[] = [];
  for (const place of places(ctx, 'agents')) {
    const seenHere = new Set<string>();
    for (const file of listFiles(place.dir, ['.md'])) {
      const path = join(place.dir, file);
      const shown = displayPath(path, ctx.root);
      const agent = parseAgentFile(readText(path), path, place.source, (field, message) => warnings.push({ file: shown, field, message }));
      if (!agent) continue;
      if ((BUILT_IN_ROLES as readonly string[]).includes(agent.name)) {
        warnings.push({ file: shown, field: 'name', message: `"${agent.name}" is a built-in role; rename the agent (skipped)` });
        continue;
      }
      if (seenHere.has(agent.name)) {
        warnings.push({
          file: shown,
          field: 'name',
          message: `another file in ${displayPath(place.dir, ctx.root)} is already named "${agent.name}" (skipped)`,
        });
        continue;
      }
      seenHere.add(agent.name);
      // Earlier places (the project) win over later ones (the user) without a warning: that is the point of them.
      if (!byName.has(agent.name)) byName.set(agent.name, agent);
    }
  }
  const agents = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { agents, warnings, hash: sha256(agents.map((a) => `${a.name}\0${a.hash}`).join('\n')) };
}

/** One agent file, or undefined after reporting why not through `warn`. */
export function parseAgentFile(
  text: string,
  path: string,
  source: ExtensionSource,
  warn: (field: string | undefined, message: string) => void,
): AgentFile | undefined {
  const fm = parseFrontMatter(text);
  if (!fm.ok) {
    warn(undefined, `${fm.message} (skipped)`);
    return undefined;
  }
  const parsed = AgentFront.safeParse(fm.data);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    warn(field, `${message} (skipped)`);
    return undefined;
  }
  const system = fm.body.trim();
  if (!system) {
    warn('body', 'the system prompt (the text after the front matter) is empty (skipped)');
    return undefined;
  }
  const front = parsed.data;
  const tools = front.tools === undefined ? [...DEFAULT_AGENT_TOOLS] : mapTools(front.tools, (m) => warn('tools', m));
  return {
    name: front.name,
    description: front.description.trim(),
    tools,
    ...(front.model ? { model: front.model } : {}),
    ...(front.effort ? { effort: front.effort } : {}),
    ...(front.maxTurns ? { maxTurns: front.maxTurns } : {}),
    system,
    path,
    source,
    hash: sha256(text),
  };
}

/**
 * `Read, Grep` or `[Read, mcp__github__search]` to our names. A tool baton does not have is dropped
 * with a warning (the agent keeps running with less, never with more).
 */
export function mapTools(value: string | string[], warn: (message: string) => void): string[] {
  const names = (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean);
  const out: string[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const ours = CLAUDE_TOOL_NAMES[name] ?? (OUR_TOOLS.has(name) || MCP_TOOL_NAME.test(name) ? name : undefined);
    if (ours === undefined) unknown.push(name);
    else if (!out.includes(ours)) out.push(ours);
  }
  if (unknown.length) warn(`unknown tool${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} ignored`);
  return out;
}

/** The compact text the orchestrator is shown (in its cached prompt part): one line per agent. */
export function describeAgents(agents: readonly AgentFile[]): string {
  if (!agents.length) return '';
  const lines = agents.map((a) => `- ${a.name}: ${oneLine(a.description)} Tools: ${a.tools.length ? a.tools.join(', ') : 'none'}.`);
  return `Custom agents (usable as \`role\` in any pattern):\n${lines.join('\n')}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
  return /[.!?…]$/.test(cut) ? cut : `${cut}.`;
}

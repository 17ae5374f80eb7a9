/**
 * MCP server definitions: the project's `.mcp.json` and `$BATON_HOME/mcp.json`, in Claude Code's
 * format. Reading them is cheap and loads no MCP code; the SDK is imported only to connect.
 */
import { readFileSync } from 'node:fs';
import * as z from '../../core/zod.js';
import { isMissing } from '../../tools/define.js';
import { displayPath, sha256 } from '../files.js';
import { projectMcpPath, userMcpPath } from '../places.js';
import type { ExtensionContext, ExtensionSource, ExtensionWarning } from '../types.js';
import { firstIssue } from '../zod-issue.js';

const StdioServer = z.object({
  type: z.optional(z.literal('stdio')),
  command: z.string().check(z.minLength(1)),
  args: z._default(z.array(z.string()), []),
  env: z._default(z.record(z.string(), z.string()), {}),
});

const HttpServer = z.object({
  type: z.literal('http'),
  url: z.url(),
  headers: z._default(z.record(z.string(), z.string()), {}),
});

const ServerEntry = z.union([StdioServer, HttpServer]);

const McpFile = z.object({ mcpServers: z.record(z.string(), z.unknown()) });

/** Server names become part of tool names (`mcp__<server>__<tool>`), which the API limits to these characters. */
const SERVER_NAME = /^[A-Za-z0-9_-]{1,32}$/;

export type McpTransportConfig =
  | { type: 'stdio'; command: string; args: string[]; env: Record<string, string> }
  | { type: 'http'; url: string; headers: Record<string, string> };

export interface McpServerConfig {
  name: string;
  source: ExtensionSource;
  /** The file it came from, as shown to the user. */
  file: string;
  transport: McpTransportConfig;
  /**
   * sha256 of the definition after `${VAR}` expansion: an approval is for this exact definition, so a
   * changed command in a pulled `.mcp.json` needs approving again.
   */
  hash: string;
}

export interface McpServerSet {
  servers: McpServerConfig[];
  warnings: ExtensionWarning[];
}

/**
 * Both files. A name in both: the user's definition is used (it is the trusted one; letting a project
 * redefine it under the same name would hand the project that trust), with one warning.
 */
export function loadMcpServers(ctx: ExtensionContext): McpServerSet {
  const env = ctx.env ?? process.env;
  const warnings: ExtensionWarning[] = [];
  const user = readServers(userMcpPath(env), 'user', ctx.root, env, warnings);
  const project = readServers(projectMcpPath(ctx.root), 'project', ctx.root, env, warnings);
  const servers = [...user];
  for (const s of project) {
    if (user.some((u) => u.name === s.name)) {
      warnings.push({ file: s.file, field: `mcpServers.${s.name}`, message: `$BATON_HOME/mcp.json defines "${s.name}" too; the user's definition is used` });
    } else {
      servers.push(s);
    }
  }
  return { servers, warnings };
}

function readServers(path: string, source: ExtensionSource, root: string, env: NodeJS.ProcessEnv, warnings: ExtensionWarning[]): McpServerConfig[] {
  const file = displayPath(path, root);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (isMissing(err)) return [];
    warnings.push({ file, message: `cannot read: ${(err as Error).message}` });
    return [];
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    warnings.push({ file, message: `not valid JSON (${(err as Error).message}); no servers from it` });
    return [];
  }
  const parsed = McpFile.safeParse(json);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    warnings.push({ file, field, message: `${message}; no servers from it` });
    return [];
  }
  const out: McpServerConfig[] = [];
  for (const [name, raw] of Object.entries(parsed.data.mcpServers)) {
    const field = `mcpServers.${name}`;
    if (!SERVER_NAME.test(name)) {
      warnings.push({ file, field, message: 'server names are letters, digits, - and _ (at most 32); skipped' });
      continue;
    }
    const entry = ServerEntry.safeParse(expandVars(raw, env));
    if (!entry.success) {
      const { field: sub, message } = firstIssue(entry.error);
      warnings.push({ file, field: sub === '(file)' ? field : `${field}.${sub}`, message: `${message}; skipped` });
      continue;
    }
    const transport: McpTransportConfig =
      entry.data.type === 'http'
        ? { type: 'http', url: entry.data.url, headers: entry.data.headers }
        : { type: 'stdio', command: entry.data.command, args: entry.data.args, env: entry.data.env };
    out.push({ name, source, file, transport, hash: sha256(JSON.stringify(transport)) });
  }
  return out;
}

/** `${VAR}` and `${VAR:-default}` in every string, as Claude Code does (an unset variable without default becomes empty). */
export function expandVars(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string')
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, def?: string) => env[name] ?? def ?? '');
  if (Array.isArray(value)) return value.map((v) => expandVars(v, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandVars(v, env)]));
  return value;
}

/** One line for listings: the command line or the URL. */
export function describeTransport(t: McpTransportConfig): string {
  return t.type === 'http' ? t.url : [t.command, ...t.args].join(' ');
}

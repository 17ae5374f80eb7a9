import * as z from '../core/zod.js';
import type { ToolDefinition } from '../llm/types.js';
import { askUserTool } from './ask-user.js';
import { bashTool } from './bash.js';
import { editFileTool } from './edit-file.js';
import { globTool } from './glob.js';
import { grepTool } from './grep.js';
import { listFilesTool } from './list-files.js';
import { readFileTool } from './read-file.js';
import type { ToolSpec } from './types.js';
import { writeFileTool } from './write-file.js';

export const allTools: readonly ToolSpec[] = [readFileTool, listFilesTool, globTool, grepTool, editFileTool, writeFileTool, bashTool, askUserTool];

/** Null prototype: a model asking for a tool named "constructor" finds nothing. */
export const toolsByName: Readonly<Record<string, ToolSpec>> = Object.assign(
  Object.create(null) as Record<string, ToolSpec>,
  Object.fromEntries(allTools.map((t) => [t.name, t])),
);

const definitions = new Map<string, ToolDefinition>();
const external = new WeakMap<ToolSpec, ToolDefinition>();

/** A tool from outside the registry (an MCP server's) brings its own JSON Schema. */
type WithInputSchema = ToolSpec & { inputSchema?: Record<string, unknown> };

/**
 * The Anthropic tool definitions for `tools` (names of built-in tools, or specs), in that order:
 * input_schema is derived from a built-in's zod schema, or is the JSON Schema an MCP server gave.
 */
export function toolDefinitions(tools: readonly (string | ToolSpec)[]): ToolDefinition[] {
  return tools.map((tool) => {
    const name = typeof tool === 'string' ? tool : tool.name;
    const builtIn = toolsByName[name];
    if (typeof tool !== 'string' && tool !== builtIn) return externalDefinition(tool as WithInputSchema);
    let def = definitions.get(name);
    if (!def) {
      if (!builtIn) throw new Error(`unknown tool ${name}`);
      def = { name, description: builtIn.description, input_schema: apiSchema(builtIn.schema) };
      definitions.set(name, def);
    }
    return def;
  });
}

function externalDefinition(spec: WithInputSchema): ToolDefinition {
  let def = external.get(spec);
  if (!def) {
    const schema = spec.inputSchema ? (stripSchema(spec.inputSchema) as Record<string, unknown>) : apiSchema(spec.schema);
    // The API wants an object schema at the top, even from a server that gave none.
    const input_schema = { ...schema, type: 'object' } as ToolDefinition['input_schema'];
    def = { name: spec.name, description: spec.description, input_schema };
    external.set(spec, def);
  }
  return def;
}

function stripSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    out[key] = stripSchema(value);
  }
  return out;
}

/** z.toJSONSchema minus what the API does not need: `$schema`, `additionalProperties`, and ±2^53 integer bounds. */
function apiSchema(schema: z.ZodMiniType): ToolDefinition['input_schema'] {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$schema' || key === 'additionalProperties') continue;
      if ((key === 'maximum' || key === 'minimum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) continue;
      out[key] = strip(value);
    }
    return out;
  };
  return strip(z.toJSONSchema(schema)) as ToolDefinition['input_schema'];
}

export type ParsedToolInput = { ok: true; spec: ToolSpec; input: unknown } | { ok: false; message: string };

/** Validates a tool_use input; on failure, one message the model can act on. */
export function parseToolInput(name: string, raw: unknown, spec: ToolSpec | undefined = toolsByName[name]): ParsedToolInput {
  if (!spec) return { ok: false, message: `unknown tool "${name}"; available tools: ${Object.keys(toolsByName).join(', ')}` };
  const parsed = spec.schema.safeParse(raw);
  if (parsed.success) return { ok: true, spec, input: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const where = ['input', ...issue.path.map(String)].join('.');
    const missing = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
    return `${where}: ${missing ? `required (${issue.expected})` : issue.message}`;
  });
  return { ok: false, message: `invalid input for ${name}: ${problems.join('; ')}. Fix the input and call ${name} again.` };
}

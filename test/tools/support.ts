import { parseToolInput } from '../../src/tools/registry.js';
import type { ToolResult } from '../../src/tools/types.js';

/** Runs a tool as the agent loop does: input validated by the registry, then run() in `root`. */
export async function runTool(name: string, input: unknown, root: string, signal = new AbortController().signal): Promise<ToolResult> {
  const parsed = parseToolInput(name, input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.spec.run(parsed.input, { root, signal });
}

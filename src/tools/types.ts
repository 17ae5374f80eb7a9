import type * as z from '../core/zod.js';

/** read: runs without asking; write: edits files; exec: runs commands; none: handled by the agent loop (ask_user). */
export type PermissionClass = 'read' | 'write' | 'exec' | 'none';

export interface ToolContext {
  /** Real path of the project root; every path is confined to it. */
  root: string;
  signal: AbortSignal;
}

export interface ToolResult {
  /** Full output; the agent loop caps what goes back to the model and stores all of it. */
  output: string;
  isError: boolean;
  /** Short human summary for the transcript, e.g. "+3 -1" or "exit 0". */
  summary?: string;
  /**
   * The unified diff of a file change, for people (the transcript's folded diff, `/diff`,
   * `baton show --diff`); stored with the call, never sent to the model.
   */
  diff?: string;
}

/** Built-in tools' schemas are zod/mini; an MCP tool's (classic zod's fromJSONSchema) fits the type too. */
export interface ToolSpec<S extends z.ZodMiniType = z.ZodMiniType> {
  name: string;
  /** Sent to the model: short and precise, every token is paid for on every turn. */
  description: string;
  schema: S;
  permission: PermissionClass;
  /** The rule a user's "always" stores, e.g. `bash:npm test` or `edit_file`. */
  ruleKey(input: z.infer<S>): string;
  /** One line naming the call for people (permission prompt, notices): `edit src/a.ts`, `bash: npm test`. */
  title(input: z.infer<S>): string;
  /** What the call acts on, shown after the tool's name in the transcript: the path, the command, the pattern. */
  subject(input: z.infer<S>): string;
  /**
   * What the call would do, shown when asking for permission: a unified diff for a file change,
   * the command for bash. Only asked for calls that need approval; may read the project.
   */
  preview?(input: z.infer<S>, ctx: ToolContext): Promise<string | undefined>;
  run(input: z.infer<S>, ctx: ToolContext): Promise<ToolResult>;
}

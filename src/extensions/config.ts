/**
 * `config.json` in `$BATON_HOME` (the user's defaults, any key) and in the project's `.baton/` (only
 * keys that cannot weaken safety: a cloned repository must not grant itself permissions or budget).
 */
import { readFileSync } from 'node:fs';
import * as z from '../core/zod.js';
import { UserError } from '../core/errors.js';
import { permissionModes } from '../core/run.js';
import { isMissing } from '../tools/define.js';
import { displayPath } from './files.js';
import { projectConfigPath, userConfigPath } from './places.js';
import type { ExtensionContext, ExtensionWarning } from './types.js';
import { firstIssue } from './zod-issue.js';

/** Pattern ids are checked against the catalog where it is known (the orchestrator); here, names only. */
const DisabledPatterns = z.array(z.string().check(z.trim(), z.minLength(1)));

/** `$BATON_HOME/config.json`: defaults for the command-line options. */
export const Config = z.strictObject({
  model: z.optional(z.string().check(z.minLength(1))),
  orchestratorModel: z.optional(z.string().check(z.minLength(1))),
  permissionMode: z.optional(z.enum(permissionModes as [string, ...string[]])),
  maxBudgetUsd: z.optional(z.number().check(z.positive())),
  autoCommit: z.optional(z.boolean()),
  disabledPatterns: z.optional(DisabledPatterns),
  /** Context windows in tokens by model id, e.g. {"claude-sonnet-4-5": 1000000} when a larger window is enabled. */
  contextWindows: z.optional(z.record(z.string().check(z.minLength(1)), z.number().check(z.int(), z.positive()))),
});
export type Config = z.infer<typeof Config>;

/** What `.baton/config.json` may set. */
export const ProjectConfig = z.object({
  model: z.optional(z.string().check(z.minLength(1))),
  orchestratorModel: z.optional(z.string().check(z.minLength(1))),
  disabledPatterns: z.optional(DisabledPatterns),
});
export type ProjectConfig = z.infer<typeof ProjectConfig>;

/** Keys only the user's own config may set. */
const USER_ONLY = ['permissionMode', 'maxBudgetUsd', 'autoCommit'] as const;

/** The user's config; a broken one stops the command (it is the user's own file, and says how to fix it). */
export function loadConfig(path = userConfigPath()): Config {
  const json = readJson(path);
  if (json === undefined) return {};
  if (!json.ok) throw new UserError(`${path} is not valid JSON (${json.message}); fix or delete it`);
  const parsed = Config.safeParse(json.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${path}: ${issue.path.join('.') || 'config'}: ${issue.message}; fix or delete it`);
  }
  return parsed.data;
}

/**
 * The project's config: a key that could weaken safety (permissions, budget, auto-commit) or that is
 * unknown is ignored with one warning; a broken file is one warning and no settings. Never throws.
 */
export function loadProjectConfig(root: string): { config: ProjectConfig; warnings: ExtensionWarning[] } {
  const path = projectConfigPath(root);
  const file = displayPath(path, root);
  const json = readJson(path);
  if (json === undefined) return { config: {}, warnings: [] };
  if (!json.ok) return { config: {}, warnings: [{ file, message: `not valid JSON (${json.message}); ignored` }] };
  if (json.value === null || typeof json.value !== 'object' || Array.isArray(json.value)) {
    return { config: {}, warnings: [{ file, message: 'must be a JSON object; ignored' }] };
  }
  const warnings: ExtensionWarning[] = [];
  const allowed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json.value)) {
    if ((USER_ONLY as readonly string[]).includes(key)) {
      warnings.push({ file, field: key, message: `a project cannot set ${key} (only $BATON_HOME/config.json can); ignored` });
    } else if (key in ProjectConfig.shape) {
      allowed[key] = value;
    } else {
      warnings.push({ file, field: key, message: 'unknown key; ignored' });
    }
  }
  const parsed = ProjectConfig.safeParse(allowed);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    return { config: {}, warnings: [...warnings, { file, field, message: `${message}; the file is ignored` }] };
  }
  return { config: parsed.data, warnings };
}

export interface EffectiveConfig {
  /** The user's config with the project's models over it (flags still win, in resolveRunOptions). */
  config: Config;
  /** The union of the project's and the user's disabled patterns. */
  disabledPatterns: string[];
  warnings: ExtensionWarning[];
}

/** Both files together: what a run in `root` should use. Throws only for a broken user config. */
export function loadEffectiveConfig(ctx: ExtensionContext): EffectiveConfig {
  const user = loadConfig(userConfigPath(ctx.env));
  const project = loadProjectConfig(ctx.root);
  const disabledPatterns = [...new Set([...(project.config.disabledPatterns ?? []), ...(user.disabledPatterns ?? [])])];
  const config: Config = { ...user, ...pick(project.config, ['model', 'orchestratorModel']) };
  if (disabledPatterns.length) config.disabledPatterns = disabledPatterns;
  return { config, disabledPatterns, warnings: project.warnings };
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function readJson(path: string): { ok: true; value: unknown } | { ok: false; message: string } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw new UserError(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { DEFAULT_MODEL, DEFAULT_ORCHESTRATOR_MODEL } from '../core/models.js';
import type { RunOptions } from '../core/run.js';
import { permissionModes } from '../core/run.js';
import { batonHome } from '../store/location.js';
import type { GlobalOptions } from './globals.js';

/** `$BATON_HOME/config.json`: defaults for the command-line options. */
export const Config = z
  .object({
    model: z.string().min(1).optional(),
    orchestratorModel: z.string().min(1).optional(),
    permissionMode: z.enum(permissionModes as [string, ...string[]]).optional(),
    maxBudgetUsd: z.number().positive().optional(),
    autoCommit: z.boolean().optional(),
    /** Context windows in tokens by model id, e.g. {"claude-sonnet-4-5": 1000000} when a larger window is enabled. */
    contextWindows: z.record(z.string().min(1), z.number().int().positive()).optional(),
  })
  .strict();
export type Config = z.infer<typeof Config>;

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(batonHome(env), 'config.json');
}

export function loadConfig(path = configPath()): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UserError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path} is not valid JSON (${(err as Error).message}); fix or delete it`);
  }
  const parsed = Config.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${path}: ${issue.path.join('.') || 'config'}: ${issue.message}; fix or delete it`);
  }
  return parsed.data;
}

/** Flags win over the config file, which wins over the built-in defaults. */
export function resolveRunOptions(flags: GlobalOptions & { autoCommit?: boolean }, config: Config = loadConfig()): RunOptions {
  return {
    model: flags.model ?? config.model ?? DEFAULT_MODEL,
    orchestratorModel: flags.orchestratorModel ?? config.orchestratorModel ?? DEFAULT_ORCHESTRATOR_MODEL,
    permissionMode: (flags.permissionMode ?? config.permissionMode ?? 'ask') as RunOptions['permissionMode'],
    maxBudgetUsd: flags.maxBudgetUsd ?? config.maxBudgetUsd,
    autoCommit: flags.autoCommit ?? config.autoCommit ?? false,
    ...(config.contextWindows ? { contextWindows: config.contextWindows } : {}),
  };
}

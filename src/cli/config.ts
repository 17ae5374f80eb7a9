import { DEFAULT_MODEL, DEFAULT_ORCHESTRATOR_MODEL } from '../core/models.js';
import type { RunOptions } from '../core/run.js';
import { loadConfig, type Config } from '../extensions/config.js';
import { userConfigPath } from '../extensions/places.js';
import type { GlobalOptions } from './globals.js';

// The schema and the loading live in src/extensions/config.ts, next to the project's `.baton/config.json`.
export { Config, loadConfig } from '../extensions/config.js';

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return userConfigPath(env);
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

import type { Command } from 'commander';
import { openDatabase, type Db } from '../store/db.js';
import { databasePath } from '../store/location.js';
import { projectRoot } from './project.js';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  db?: string;
  debug?: boolean;
  model?: string;
  orchestratorModel?: string;
  permissionMode?: string;
  maxBudgetUsd?: number;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** What a review or maintenance command needs: the store and the project it is run in. */
export interface CommandContext {
  db: Db;
  dbPath: string;
  project: string;
  options: GlobalOptions;
}

export function commandContext(cmd: Command): CommandContext {
  const options = globalOptions(cmd);
  const dbPath = databasePath(options.db);
  return { db: openDatabase(dbPath), dbPath, project: projectRoot(), options };
}

import * as z from '../core/zod.js';
import { UserError } from '../core/errors.js';
import type { PermissionMode } from '../core/run.js';
import type { Db } from '../store/db.js';
import { deletePermissionRule, insertPermissionRule, permissionRules } from '../store/permission-rules.js';
import type { ToolSpec } from './types.js';

export type PermissionDecision = 'allow' | 'ask' | 'deny';

/**
 * A stored "always" answer: a tool name (`edit_file`, `write_file`, `bash` = every command),
 * `bash:<command>` for exactly that command, or `bash:<prefix> *` for the prefix plus arguments.
 */
export const permissionRuleSchema = z.union([z.enum(['edit_file', 'write_file', 'bash']), z.string().check(z.regex(/^bash:\S[\s\S]*$/))]);

/** Shell syntax that could chain another command onto an allowed prefix (`npm test; rm -rf ~`). */
const SHELL_CONTROL = /[;&|<>`\n\r]|\$\(/;

export function ruleAllows(rule: string, toolName: string, ruleKey: string): boolean {
  if (rule === toolName || rule === ruleKey) return true;
  if (!rule.endsWith(' *')) return false;
  const prefix = rule.slice(0, -2);
  if (!ruleKey.startsWith(prefix)) return false;
  const rest = ruleKey.slice(prefix.length);
  return (rest === '' || /^\s/.test(rest)) && !SHELL_CONTROL.test(rest);
}

/**
 * ask: reads run, writes and exec ask; accept-edits: writes run too; read-only: writes and exec
 * are denied whatever the rules; bypass: everything runs. A matching rule turns "ask" into "allow".
 */
export function decide<S extends z.ZodMiniType>(mode: PermissionMode, spec: ToolSpec<S>, input: z.infer<S>, rules: readonly string[]): PermissionDecision {
  if (spec.permission === 'read' || spec.permission === 'none' || mode === 'bypass') return 'allow';
  if (mode === 'read-only') return 'deny';
  if (mode === 'accept-edits' && spec.permission === 'write') return 'allow';
  const key = spec.ruleKey(input);
  return rules.some((rule) => ruleAllows(rule, spec.name, key)) ? 'allow' : 'ask';
}

export type DenialReason = 'read-only' | 'no-terminal' | 'user';

/** The is_error text the model gets for a tool that did not run; says how the user can allow it. */
export function denialMessage(spec: Pick<ToolSpec, 'name' | 'permission'>, reason: DenialReason): string {
  const tool = spec.name;
  if (reason === 'user') return `permission denied: the user declined ${tool}; do not retry it, continue another way or ask the user`;
  if (reason === 'read-only') {
    return `permission denied: ${tool} is not allowed in read-only mode; rerun with --permission-mode ask, accept-edits or bypass to allow changes`;
  }
  const modes = spec.permission === 'write' ? 'accept-edits/bypass' : 'bypass';
  return `permission denied: ${tool} needs approval and there is no terminal to ask; rerun with --permission-mode ${modes} or allow it in an interactive session`;
}

export function addRule(db: Db, project: string, rule: string): void {
  if (!permissionRuleSchema.safeParse(rule).success) {
    throw new UserError(`invalid permission rule "${rule}": use edit_file, write_file, bash, bash:<command> or bash:<command prefix> *`);
  }
  insertPermissionRule(db, project, rule);
}

export const listRules = (db: Db, project: string): string[] => permissionRules(db, project);

export const removeRule = (db: Db, project: string, rule: string): boolean => deletePermissionRule(db, project, rule);

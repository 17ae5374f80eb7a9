/**
 * The guard between a model's tool call and its effect: may it run (mode, stored rules, or the
 * user's answer to a prompt that shows the tool's title and preview), the git checkpoint before
 * the first change, and the file claims that keep two writers of a phase off one file.
 */
import type { PermissionMode, RunHooks } from '../core/run.js';
import type { Db } from '../store/db.js';
import { addRule, decide, denialMessage, listRules } from '../tools/permissions.js';
import type { ToolSpec } from '../tools/types.js';
import type { FileClaims } from './budget.js';

export interface GuardDeps {
  db: Db;
  project: string;
  root: string;
  runId: string;
  hooks: RunHooks;
  signal: AbortSignal;
  permissionMode: PermissionMode;
  /** Called before the first write or exec tool runs (the git checkpoint). */
  beforeChange?: (() => Promise<void>) | undefined;
  fileClaims?: FileClaims | undefined;
}

/** Cleared to run (`how` is stored as the call's permission: auto, rule, once, always, or the mode), or refused with a message for the model. */
export type Clearance =
  | { cleared: true; how: string }
  | { cleared: false; message: string /** The transcript's summary. */; summary?: string | undefined; permission?: string | undefined };

/**
 * A call to a tool outside the agent's own set: refused before anything else is asked. (The set is
 * the role's tools, or an agent file's list; the engine offers only those.)
 */
export function notAllowed(tool: string, available: string): string {
  return `${tool} is not one of this agent's tools, so the call was refused; use only: ${available || 'none'}`;
}

export class Guard {
  constructor(private readonly deps: GuardDeps) {}

  async clear(spec: ToolSpec, input: unknown, call: { agentCallId: string; toolCallId: string }): Promise<Clearance> {
    const permission = await this.permit(spec, input, call);
    if ('denied' in permission) return { cleared: false, message: permission.denied, summary: 'denied', permission: 'denied' };

    if (spec.permission === 'write' || spec.permission === 'exec') await this.deps.beforeChange?.();
    if (spec.permission === 'write' && this.deps.fileClaims) {
      const path = (input as { path?: string }).path;
      const owner = path ? this.deps.fileClaims.claim(path, call.agentCallId) : undefined;
      if (owner) return { cleared: false, message: `${path} is being changed by another worker in this run; leave it to them and work on your own files` };
    }
    return { cleared: true, how: permission.how };
  }

  private async permit(spec: ToolSpec, input: unknown, call: { agentCallId: string; toolCallId: string }): Promise<{ how: string } | { denied: string }> {
    const { db, project, hooks, runId, permissionMode } = this.deps;
    const verdict = decide(permissionMode, spec, input, listRules(db, project));
    if (verdict === 'allow') return { how: spec.permission === 'read' ? 'auto' : permissionMode === 'ask' ? 'rule' : permissionMode };
    if (verdict === 'deny') return { denied: denialMessage(spec, 'read-only') };
    if (!hooks.askPermission) return { denied: denialMessage(spec, 'no-terminal') };
    const title = spec.title(input);
    const rule = spec.ruleKey(input);
    const preview = await this.preview(spec, input);
    hooks.emit({ type: 'permission.needed', runId, agentCallId: call.agentCallId, toolCallId: call.toolCallId, name: spec.name, title, preview });
    const answer = await hooks.askPermission({ runId, toolCallId: call.toolCallId, tool: spec.name, title, preview, rule });
    hooks.emit({ type: 'permission.answered', runId, toolCallId: call.toolCallId, answer, rule: answer === 'always' ? rule : undefined });
    if (answer === 'always') addRule(db, project, rule);
    if (answer === 'deny') return { denied: denialMessage(spec, 'user') };
    return { how: answer };
  }

  /** A preview that cannot be made (an unreadable file) leaves the prompt with its title alone. */
  private async preview(spec: ToolSpec, input: unknown): Promise<string | undefined> {
    try {
      return await spec.preview?.(input, { root: this.deps.root, signal: this.deps.signal });
    } catch {
      return undefined;
    }
  }
}

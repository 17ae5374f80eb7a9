/**
 * simple-git for porcelain queries off the hot path (auto-commit's safety check): its parsers
 * read what git prints for people, so we do not keep our own. Plumbing that needs a private index
 * (GIT_INDEX_FILE) or stdin stays on `exec.ts`. simple-git is imported on first use, never at
 * module top level: nothing needs it to start.
 */
import type { SimpleGit } from 'simple-git';

/**
 * simple-git guards the environment it is given against untrusted input (an EDITOR, a PAGER, an
 * askpass or ssh command, config paths). Ours is the user's own environment, passed as the exec
 * helper passes it, and the read-only queries run here start none of those programs: allow them.
 */
const USERS_OWN_ENVIRONMENT = {
  allowUnsafeEditor: true,
  allowUnsafePager: true,
  allowUnsafeAskPass: true,
  allowUnsafeSshCommand: true,
  allowUnsafeConfigPaths: true,
  allowUnsafeConfigEnvCount: true,
  allowUnsafeExec: true,
  allowUnsafeDiffExternal: true,
  allowUnsafeGitProxy: true,
  allowUnsafeTemplateDir: true,
} as const;

/**
 * A simple-git instance for `root`, with the exec helper's environment: the user's variables (git's
 * own included, which simple-git would otherwise drop) plus `extraEnv`; nothing prompts.
 */
export async function porcelain(root: string, extraEnv: Record<string, string> = {}): Promise<SimpleGit> {
  const { simpleGit } = await import('simple-git');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, { GIT_TERMINAL_PROMPT: '0' }, extraEnv);
  return simpleGit({ baseDir: root, allowEnvironment: Object.keys(env), unsafe: USERS_OWN_ENVIRONMENT }).env(env);
}

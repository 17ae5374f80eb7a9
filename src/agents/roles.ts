import type { Effort } from '../llm/types.js';

export const roleIds = ['explorer', 'coder', 'reviewer', 'planner', 'summarizer'] as const;
export type RoleId = (typeof roleIds)[number];

export interface RoleDefinition {
  id: RoleId;
  /** Tool names this role may use (ask_user is added by the loop when the run can ask). */
  tools: readonly string[];
  /** bash is allowed for reviewer only to run tests; noted in its prompt. */
  defaultMaxTurns: number;
  defaultEffort: Effort;
  /**
   * Whether the agent thinks before it answers (adaptive thinking where the model takes it, else a
   * budget; see llm/thinking.ts). The summarizer only combines given results: no thinking.
   */
  thinks: boolean;
  /** One short paragraph: who the agent is and what it returns. */
  system: string;
}

const READ = ['read_file', 'list_files', 'glob', 'grep'] as const;

export const roles: Record<RoleId, RoleDefinition> = {
  explorer: {
    id: 'explorer',
    tools: READ,
    defaultMaxTurns: 20,
    defaultEffort: 'low',
    thinks: true,
    system: 'You are an explorer: investigate the repository with read-only tools and report findings concisely, citing paths and line numbers.',
  },
  coder: {
    id: 'coder',
    tools: [...READ, 'edit_file', 'write_file', 'bash'],
    defaultMaxTurns: 40,
    defaultEffort: 'medium',
    thinks: true,
    system:
      'You are a coder: make the requested change with minimal, correct edits, verify it (run tests when there are any), then state briefly what you changed.',
  },
  reviewer: {
    id: 'reviewer',
    tools: [...READ, 'bash'],
    defaultMaxTurns: 20,
    defaultEffort: 'medium',
    thinks: true,
    system: 'You are a reviewer: read the change (git diff), run the tests if there are any (bash only for checks, never to edit), and judge it.',
  },
  planner: {
    id: 'planner',
    tools: READ,
    defaultMaxTurns: 15,
    defaultEffort: 'medium',
    thinks: true,
    system: 'You are a planner: read what you need, then return a plan of small, ordered steps that other agents will carry out one by one.',
  },
  summarizer: {
    id: 'summarizer',
    tools: [],
    defaultMaxTurns: 1,
    defaultEffort: 'low',
    thinks: false,
    system: 'You are a summarizer: combine the given results into one clear, concise answer for the user.',
  },
};

export const isBuiltInRole = (role: string): role is RoleId => (roleIds as readonly string[]).includes(role);

/**
 * The defaults of a role by name: a built-in role's, else those of an agent file's agent (the
 * coder's turns and effort, thinking on; its tools and system prompt come with the spec).
 */
export function roleDefaults(role: string): RoleDefinition {
  return isBuiltInRole(role) ? roles[role] : { ...roles.coder, system: '' };
}

import { roleDefaults } from './roles.js';

/**
 * A sub-agent's system prompt: its role, the shared rules, and the repository facts. Nothing of
 * the parent conversation: sub-agents start clean, with only what the orchestrator wrote for them.
 * Stable for the whole agent call, so it is cached after the first turn.
 */
export function agentSystemPrompt(role: string, root: string, repoFacts: string, own?: string): string {
  return [
    // An agent file's body is its identity, in place of the role's paragraph.
    own ?? roleDefaults(role).system,
    `You work in the project at ${root}; tool paths are relative to it and cannot leave it.`,
    'Be concise. Prefer reading before editing; edit with exact old_string matches. If a tool fails, read its message and adapt.',
    'Use ask_user only when you cannot proceed without the user; otherwise decide sensibly and say what you assumed.',
    'Your final message is your result: what you found or did, briefly.',
    repoFacts ? `Repository:\n${repoFacts}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

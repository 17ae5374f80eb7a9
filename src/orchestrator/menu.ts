/**
 * One run's menu: the schemas its decision and revisions are validated with, and the system prompt
 * that offers the same choices. Built from the loaded extensions; memoised by content, so a session
 * derives each schema (and its JSON Schema) once per distinct menu.
 */
import { builtInMenu, decisionSchema, type DecisionMenu } from '../patterns/decision.js';
import { revisionReply } from './decision.js';
import type { LoadedExtensions } from './extensions.js';
import { decisionSystemPrompt } from './prompts.js';

export interface RunMenu {
  choices: DecisionMenu;
  decision: ReturnType<typeof decisionSchema>;
  revision: ReturnType<typeof revisionReply>;
  system: string;
}

const memo = new Map<string, RunMenu>();

export function runMenu(ext?: Pick<LoadedExtensions, 'menu' | 'agentsText' | 'playbooksText' | 'mcpServers'>): RunMenu {
  const choices = ext?.menu ?? builtInMenu;
  const system = decisionSystemPrompt({
    patterns: choices.patterns,
    agents: ext?.agentsText ?? '',
    playbooks: ext?.playbooksText ?? '',
    mcpServers: ext?.mcpServers ?? [],
  });
  const key = `${JSON.stringify(choices)}\0${system}`;
  let menu = memo.get(key);
  if (!menu) {
    menu = { choices, decision: decisionSchema(choices), revision: revisionReply(choices), system };
    if (memo.size > 16) memo.clear();
    memo.set(key, menu);
  }
  return menu;
}

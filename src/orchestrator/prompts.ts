/**
 * The orchestrator's prompt text. System prompts are static (built from the catalogs only), so the
 * API caches them across runs; everything that varies per run goes in the user turn.
 */
import { roleIds, roles } from '../agents/roles.js';
import { patternDescriptions, patternIds, type PatternId } from '../patterns/catalog.js';
import { clip } from '../core/text.js';
import type { Decision } from '../patterns/decision.js';
import { lessonLine, noteLine, type ShownLesson, type ShownNote } from '../learning/retrieval.js';

export type { ShownLesson, ShownNote } from '../learning/retrieval.js';

/** What a run's system prompt offers beyond the built-ins; it changes only when files or config do. */
export interface PromptMenu {
  patterns: readonly PatternId[];
  /** describeAgents() of the agent files ('' for none). */
  agents: string;
  /** describePlaybooks() of the playbooks offered ('' for none). */
  playbooks: string;
  mcpServers: readonly string[];
}

const builtInPromptMenu: PromptMenu = { patterns: patternIds, agents: '', playbooks: '', mcpServers: [] };

const teams: Record<PatternId, string> = {
  direct: '- direct: one agent; coder, or explorer when nothing should change.',
  'plan-execute': '- plan-execute: a planner, then the agent (usually coder) that carries out each step.',
  parallel: '- parallel: one agent per independent subtask (coders only on disjoint files), then a summarizer; params.concurrency.',
  'review-loop': '- review-loop: a coder, then a reviewer; params.maxRounds.',
  clarify: '- clarify: params.question (and params.options) to ask the user; one agent restating the request. You decide again with the answer.',
};

/** The last prompts built, by menu: a session builds one per distinct menu, not one per run. */
const built = new Map<string, string>();

/**
 * Shared by decisions and revisions, so both hit the same cached prefix. Everything in it comes
 * from the catalogs, the config and the extension files (sorted, so the text is stable): it stays
 * byte-identical, and cached, until one of those changes. The agents and playbooks come last.
 */
export function decisionSystemPrompt(menu: PromptMenu = builtInPromptMenu): string {
  const key = JSON.stringify(menu);
  let text = built.get(key);
  if (text !== undefined) return text;
  text = [
    "You are baton's orchestrator. For a request in a code repository, choose how the work is done: one pattern and a team of sub-agents. Reply with JSON only.",
    'Patterns:',
    ...menu.patterns.map((id) => `- ${id}: ${patternDescriptions[id]}`),
    'Roles (tools):',
    ...roleIds.map((id) => `- ${id}: ${roles[id].tools.length ? roles[id].tools.join(', ') : 'none'}`),
    'Team per pattern:',
    ...menu.patterns.map((id) => teams[id]),
    'Rules:',
    '- Choose the cheapest pattern likely to succeed; questions and small edits are direct.',
    '- Sub-agents never see the conversation: make instructions self-contained (goal, files, constraints, how to verify).',
    '- Omit model, effort and maxTurns unless there is a reason.',
    '- lessonsUsed: ids of the shown lessons that changed your choice. reasoning: 1-3 sentences. expectations: what success will look like, checkable. confidence: chance the plan succeeds.',
    'Revisions: given the plan and what happened since, reply action continue (keep the plan), change (new pattern and/or agents for the rest of the work) or stop (finish with what we have).',
    ...(menu.agents ? [menu.agents, '- A custom agent fits when its description matches the work; it has only the tools listed.'] : []),
    ...(menu.playbooks
      ? [
          menu.playbooks,
          '- With a playbook, params.values holds only the values the request states ([{name, value}]); a missing required value is asked of the user. Agents: the one that carries out the steps (no planner).',
        ]
      : []),
    ...(menu.mcpServers.length ? [`MCP servers (their tools go to the coder and to custom agents that list them): ${menu.mcpServers.join(', ')}`] : []),
  ].join('\n');
  if (built.size > 16) built.clear();
  built.set(key, text);
  return text;
}

export interface DecisionInput {
  prompt: string;
  threadSummary?: string | undefined;
  recentTurns: { role: 'user' | 'assistant'; content: string }[];
  repoFacts: string;
  /** Related lessons first (most relevant first), then the project's general ones (learning/retrieval.ts). */
  lessons: ShownLesson[];
  /** Feedback notes the user left on related past runs. */
  feedbackNotes?: ShownNote[] | undefined;
  /** Compact per-pattern statistics (learning/outcomes.ts `statsText`). */
  stats: string;
}

const REPO_FACTS_CAP = 6000;
const DELTA_CAP = 4000;
const REQUEST_CAP = 4000;

const section = (tag: string, body: string): string => (body.trim() ? `<${tag}>\n${body.trim()}\n</${tag}>` : '');

/** The decision's user turn: context first, the request last. */
export function renderDecisionInput(input: DecisionInput): string {
  return [
    section('repository', clip(input.repoFacts, REPO_FACTS_CAP)),
    section('pattern_stats', input.stats),
    section('lessons', lessonsText(input.lessons)),
    section('user_feedback', (input.feedbackNotes ?? []).map(noteLine).join('\n')),
    section('thread_summary', input.threadSummary ?? ''),
    section('recent_turns', input.recentTurns.map((t) => `${t.role}: ${t.content}`).join('\n')),
    section('request', input.prompt),
  ]
    .filter(Boolean)
    .join('\n');
}

/** Lessons as the orchestrator reads them: those related to the request apart from the project's general ones. */
export function lessonsText(lessons: readonly ShownLesson[]): string {
  const related = lessons.filter((l) => l.related).map(lessonLine);
  const general = lessons.filter((l) => !l.related).map(lessonLine);
  return [
    related.length ? `Related to this request, most relevant first:\n${related.join('\n')}` : '',
    general.length ? `Other lessons of this project (not matched to this request):\n${general.join('\n')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The revision's user turn: the plan in force, the lessons (as for the decision) and only what happened since it was made. */
export function renderRevisionInput(prompt: string, previous: Decision, delta: string, lessons: readonly ShownLesson[] = []): string {
  const plan = {
    pattern: previous.pattern,
    agents: previous.agents,
    expectations: previous.expectations,
    params: previous.params,
    ...(previous.playbook ? { playbook: previous.playbook } : {}),
  };
  return [
    section('request', clip(prompt, REQUEST_CAP)),
    section('plan', JSON.stringify(plan)),
    section('lessons', lessonsText(lessons)),
    section('since_then', clip(delta, DELTA_CAP)),
    'Continue, change or stop?',
  ].join('\n');
}

/**
 * Tells baton's kinds of Messages API calls apart, for `routeBy` scripts, by what a request is
 * rather than by how its prompt is worded:
 * - a structured call by the fields of its output schema (the zod schemas in src/orchestrator are
 *   the contract: a decision has `lessonsUsed`, a revision `action`, an analysis `outcome`);
 * - a forced tool by its name;
 * - an agent call by the tool set it is offered, which is its role's (src/agents/roles.ts).
 *
 * Two pairs share a shape: explorer and planner are both offered the read-only tools, and a
 * summarizer call and thread compaction are both plain text calls with no tools. Those are told
 * apart by the role's own system text, read from the roles table (so rewording a role's prompt
 * does not break a test); a tool-less call that is no role's is compaction.
 */
import { roles, roleIds, type RoleId } from '../../src/agents/roles.js';
import type { FakeAnswer, ParsedRequest } from './fake-api.js';

export type CallKind = 'decision' | 'revision' | 'analysis' | 'compaction' | `forced:${string}` | RoleId | 'unknown';

/** Added to an agent's tools by the loop when the run can ask: not part of a role's identity. */
const ASK_USER = 'ask_user';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

function structuredKind(fields: string[]): CallKind {
  if (fields.includes('action')) return 'revision';
  if (fields.includes('outcome')) return 'analysis';
  if (fields.includes('lessonsUsed')) return 'decision';
  return 'unknown';
}

/**
 * The role whose tool set this request offers. Where the set alone does not tell (roles sharing it,
 * or no tools at all, which compaction shares), the one whose system text starts the prompt.
 */
function roleOf(r: ParsedRequest): RoleId | undefined {
  const offered = r.toolNames.filter((n) => n !== ASK_USER);
  const candidates = roleIds.filter((id) => sameSet(roles[id].tools, offered));
  if (candidates.length === 1 && offered.length > 0) return candidates[0];
  return candidates.find((id) => r.system.startsWith(roles[id].system));
}

/** What kind of call a request is. */
export function callKind(r: ParsedRequest): CallKind {
  if (r.structured) return structuredKind(r.outputFields);
  if (r.toolChoice?.type === 'tool') return `forced:${r.toolChoice.name}`;
  const role = roleOf(r);
  if (role) return role;
  return r.toolNames.length === 0 ? 'compaction' : 'unknown';
}

export const isDecision = (r: ParsedRequest) => callKind(r) === 'decision';
export const isRevision = (r: ParsedRequest) => callKind(r) === 'revision';
export const isAnalysis = (r: ParsedRequest) => callKind(r) === 'analysis';
export const isCompaction = (r: ParsedRequest) => callKind(r) === 'compaction';
export const isRole = (role: RoleId) => (r: ParsedRequest) => callKind(r) === role;

export interface AgentPlan {
  role: RoleId;
  instructions: string;
}

/** A valid decision reply. */
export function decision(pattern: string, agents: AgentPlan[], extra: Record<string, unknown> = {}): FakeAnswer {
  return {
    json: {
      pattern,
      agents,
      reasoning: `chose ${pattern} for this test`,
      expectations: 'the scripted work is done',
      lessonsUsed: [],
      confidence: 0.8,
      ...extra,
    },
  };
}

/** An operation of an analysis reply on the project's lessons (src/learning/lessons.ts LessonOp). */
export interface LessonOpReply {
  op: 'add' | 'edit' | 'reinforce' | 'weaken';
  id?: number;
  text?: string;
  keywords?: string[];
}

/** A valid analysis reply; a plain string among `lessons` is an `add` of that text. */
export const analysis = (outcome = 'success', lessons: (string | LessonOpReply)[] = []): FakeAnswer => ({
  json: { outcome, summary: `the run went: ${outcome}`, lessons: lessons.map((l) => (typeof l === 'string' ? { op: 'add', text: l } : l)) },
});

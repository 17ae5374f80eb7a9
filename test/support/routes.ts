/**
 * Predicates that tell baton's kinds of Messages API calls apart, for `routeBy` scripts:
 * the orchestrator's decision / revision / analysis calls and each role's agent calls.
 */
import type { FakeAnswer, ParsedRequest } from './fake-api.js';

export const isDecision = (r: ParsedRequest) => r.system.startsWith("You are baton's orchestrator") && !r.lastText.includes('<plan>');
export const isRevision = (r: ParsedRequest) => r.system.startsWith("You are baton's orchestrator") && r.lastText.includes('<plan>');
export const isAnalysis = (r: ParsedRequest) => r.system.startsWith('You review a finished run');
export const isCompaction = (r: ParsedRequest) => r.system.startsWith('Summarise this conversation');
export const isRole = (role: string) => (r: ParsedRequest) => r.system.startsWith(`You are a ${role}`) || r.system.startsWith(`You are an ${role}`);

export interface AgentPlan {
  role: 'explorer' | 'coder' | 'reviewer' | 'planner' | 'summarizer';
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

export const analysis = (outcome = 'success', lessons: string[] = []): FakeAnswer => ({
  json: { outcome, summary: `the run went: ${outcome}`, lessons },
});

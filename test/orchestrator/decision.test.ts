import { describe, expect, it } from 'vitest';
import { AnalysisReply } from '../../src/learning/analysis.js';
import { outputSchema } from '../../src/llm/structured.js';
import { Decision, Revision } from '../../src/patterns/decision.js';
import { RevisionReply } from '../../src/orchestrator/decision.js';

const valid = {
  pattern: 'review-loop',
  agents: [
    { role: 'coder', instructions: 'Fix the parser bug in src/parse.ts', effort: 'medium', maxTurns: 30 },
    { role: 'reviewer', instructions: 'Run npm test and review the diff' },
  ],
  reasoning: 'A change with tests to check it.',
  expectations: 'npm test passes',
  lessonsUsed: [3],
  confidence: 0.8,
  params: { maxRounds: 2 },
};

/** Every object in a schema sent as output_config.format must say additionalProperties: false. */
function objectsOf(schema: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(schema)) schema.forEach((s) => objectsOf(s, out));
  else if (schema && typeof schema === 'object') {
    const o = schema as Record<string, unknown>;
    if (o.type === 'object') out.push(o);
    Object.values(o).forEach((v) => objectsOf(v, out));
  }
  return out;
}

describe('decision schemas', () => {
  it('accepts a complete decision and rejects each broken dimension', () => {
    expect(Decision.parse(valid)).toEqual(valid);
    const broken: [string, unknown][] = [
      ['pattern', { ...valid, pattern: 'swarm' }],
      ['agents', { ...valid, agents: [] }],
      ['agents', { ...valid, agents: Array.from({ length: 9 }, () => valid.agents[0]) }],
      ['agents.0.role', { ...valid, agents: [{ role: 'manager', instructions: 'x' }] }],
      ['agents.0.instructions', { ...valid, agents: [{ role: 'coder', instructions: '' }] }],
      ['agents.0.maxTurns', { ...valid, agents: [{ role: 'coder', instructions: 'x', maxTurns: 101 }] }],
      ['agents.0.effort', { ...valid, agents: [{ role: 'coder', instructions: 'x', effort: 'huge' }] }],
      ['confidence', { ...valid, confidence: 1.5 }],
      ['lessonsUsed.0', { ...valid, lessonsUsed: [1.5] }],
      ['params.maxRounds', { ...valid, params: { maxRounds: 9 } }],
      ['params.concurrency', { ...valid, params: { concurrency: 7 } }],
    ];
    for (const [path, value] of broken) {
      const result = Decision.safeParse(value);
      expect(result.success, path).toBe(false);
      expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
    }
  });

  it('a stored revision is a decision with an action; a change reply must say what changes', () => {
    expect(Revision.parse({ ...valid, action: 'stop' }).action).toBe('stop');
    expect(Decision.parse({ ...valid, action: 'stop' })).not.toHaveProperty('action');
    expect(RevisionReply.safeParse({ action: 'continue', reasoning: 'fine', confidence: 0.7 }).success).toBe(true);
    const change = RevisionReply.safeParse({ action: 'change', reasoning: 'switch', confidence: 0.5 });
    expect(change.success).toBe(false);
    expect(change.error!.issues[0]!.message).toMatch(/needs a new pattern or agents/);
    expect(RevisionReply.safeParse({ action: 'change', reasoning: 'switch', confidence: 0.5, pattern: 'direct' }).success).toBe(true);
  });

  it('analysis replies carry at most five lesson operations', () => {
    const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ op: 'add', text: `lesson ${i}` }));
    expect(AnalysisReply.safeParse({ outcome: 'success', summary: 's', lessons: ops(5) }).success).toBe(true);
    expect(AnalysisReply.safeParse({ outcome: 'success', summary: 's', lessons: ops(6) }).success).toBe(false);
    expect(AnalysisReply.safeParse({ outcome: 'success', summary: 's', lessons: [{ op: 'merge', id: 1 }] }).success).toBe(false);
    expect(AnalysisReply.safeParse({ outcome: 'success', summary: 's', lessons: [{ op: 'reinforce', id: 3 }] }).success).toBe(true);
  });

  it('derives strict JSON Schemas without zod noise', () => {
    for (const schema of [Decision, RevisionReply, AnalysisReply]) {
      const json = outputSchema(schema);
      expect(json.type).toBe('object');
      const objects = objectsOf(json);
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects) expect(o.additionalProperties).toBe(false);
      expect(JSON.stringify(json)).not.toContain(String(Number.MAX_SAFE_INTEGER));
    }
    const decision = outputSchema(Decision) as { required: string[]; properties: Record<string, { enum?: string[] }> };
    expect(decision.required).toEqual(['pattern', 'agents', 'reasoning', 'expectations', 'lessonsUsed', 'confidence']);
    expect(decision.properties.pattern!.enum).toEqual(['direct', 'plan-execute', 'parallel', 'review-loop', 'clarify']);
  });
});

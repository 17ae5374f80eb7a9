import { describe, expect, it } from 'vitest';
import { jsonCandidates, parseFinalJson, stripTrailingCommas } from '../../src/agents/final-json.js';
import { Plan } from '../../src/patterns/plan-execute.js';

const plan = { steps: [{ title: 'a', instructions: 'do a', params: {} }] };

describe('the JSON of a final answer', () => {
  it('a json block followed by another fenced block (e.g. "verify with")', () => {
    const text = `Plan:\n\`\`\`json\n${JSON.stringify(plan)}\n\`\`\`\nVerify with:\n\`\`\`bash\nnpm test\n\`\`\`\n`;
    expect(parseFinalJson(text, Plan)).toEqual({ ok: true, value: plan });
  });

  it('the last valid block wins; an unfenced object is found too', () => {
    const other = { steps: [{ title: 'b', instructions: 'do b', params: {} }] };
    const text = `\`\`\`json\n${JSON.stringify(plan)}\n\`\`\`\nrevised:\n\`\`\`\n${JSON.stringify(other)}\n\`\`\``;
    expect(parseFinalJson(text, Plan)).toEqual({ ok: true, value: other });
    expect(parseFinalJson(`Here it is: ${JSON.stringify(plan)} — done.`, Plan)).toEqual({ ok: true, value: plan });
  });

  it('trailing commas are tolerated, commas inside strings kept', () => {
    const text = '```json\n{"steps": [{"title": "a, b,]", "instructions": "x,}", "params": {},},],}\n```';
    expect(parseFinalJson(text, Plan)).toEqual({ ok: true, value: { steps: [{ title: 'a, b,]', instructions: 'x,}', params: {} }] } });
    expect(stripTrailingCommas('{"a": "\\",}", "b": [1,2,],}')).toBe('{"a": "\\",}", "b": [1,2]}');
  });

  it("gives the parser's message and position, or the schema's complaint", () => {
    const bad = parseFinalJson('```json\n{"steps": [\n  {"title": "a" "instructions": "b"}\n]}\n```', Plan);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/does not parse: .*position \d+ \(line 2, column 17\)/);
    const tooMany = parseFinalJson(JSON.stringify({ steps: Array.from({ length: 13 }, () => plan.steps[0]) }), Plan);
    expect(!tooMany.ok && tooMany.error).toMatch(/^steps: .*12/);
    expect(parseFinalJson('no json here', Plan)).toEqual({ ok: false, error: expect.stringContaining('found none') });
  });

  it('candidates: fenced blocks last first, then the outermost object, no duplicates', () => {
    expect(jsonCandidates('```json\n{"a":1}\n```\n```bash\nls\n```')).toEqual(['ls', '{"a":1}']);
  });
});

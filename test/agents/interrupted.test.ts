import { describe, expect, it } from 'vitest';
import { answerInterruptedCalls, answeredTurn, type AgentState } from '../../src/agents/conversation.js';
import { INTERRUPTED_TOOL_RESULT } from '../../src/core/run.js';

const assistantTurn = {
  role: 'assistant' as const,
  content: [
    { type: 'thinking' as const, thinking: 'plan the edit', signature: 'c2lnbmF0dXJl' },
    { type: 'text' as const, text: 'Running the tests.' },
    { type: 'tool_use' as const, id: 'toolu_1', name: 'bash', input: { command: 'sleep 5; npm test' } },
    { type: 'tool_use' as const, id: 'toolu_2', name: 'read_file', input: { path: 'a.ts' } },
  ],
};

describe('a conversation the process died in', () => {
  it('tool calls without results get is_error results; the assistant turn stays byte-identical', () => {
    const state: AgentState = { messages: [{ role: 'user', content: 'fix it' }, assistantTurn] };
    const before = JSON.stringify(state.messages[1]);
    expect(answerInterruptedCalls(state, INTERRUPTED_TOOL_RESULT)).toEqual(['toolu_1', 'toolu_2']);
    expect(JSON.stringify(state.messages[1])).toBe(before);
    expect(state.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: INTERRUPTED_TOOL_RESULT, is_error: true },
        { type: 'tool_result', tool_use_id: 'toolu_2', content: INTERRUPTED_TOOL_RESULT, is_error: true },
      ],
    });
    expect(INTERRUPTED_TOOL_RESULT).toBe('interrupted: the process stopped while this ran; its effect is unknown — check before repeating it');
    // Answered once: nothing more to add.
    expect(answerInterruptedCalls(state, INTERRUPTED_TOOL_RESULT)).toEqual([]);
  });

  it('leaves a paused question alone, and a conversation that ends with results', () => {
    const waiting: AgentState = {
      messages: [{ role: 'user', content: 'x' }, assistantTurn],
      pending: { results: [], askToolUseId: 'toolu_9' },
    };
    expect(answerInterruptedCalls(waiting, INTERRUPTED_TOOL_RESULT)).toEqual([]);
    expect(waiting.messages).toHaveLength(2);
    const fresh: AgentState = { messages: [{ role: 'user', content: 'x' }] };
    expect(answerInterruptedCalls(fresh, INTERRUPTED_TOOL_RESULT)).toEqual([]);
  });

  it('finds an answer given before the process died (so it is not sent back as a prefill)', () => {
    const done: AgentState = {
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [{ type: 'text', text: 'all done' }] },
      ],
    };
    expect(answeredTurn(done)).toEqual([{ type: 'text', text: 'all done' }]);
    expect(answeredTurn({ messages: [{ role: 'user', content: 'x' }, assistantTurn] })).toBeUndefined();
  });
});

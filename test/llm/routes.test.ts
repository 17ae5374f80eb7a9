/**
 * The fake API's routing markers: a call's kind comes from its output schema, forced tool or tool
 * set, so rewording a prompt does not reroute it.
 */
import { describe, expect, it } from 'vitest';
import { roles } from '../../src/agents/roles.js';
import type { ParsedRequest } from '../support/fake-api.js';
import { callKind } from '../support/routes.js';

const req = (r: Partial<ParsedRequest>): ParsedRequest => ({
  body: {} as ParsedRequest['body'],
  model: 'm',
  system: 'A reworded prompt that starts like none of the old ones.',
  toolNames: [],
  messages: [],
  lastText: '',
  structured: false,
  outputFields: [],
  ...r,
});
const READ = ['read_file', 'list_files', 'glob', 'grep'];

describe('callKind', () => {
  it('structured calls by the fields of their output schema, whatever the system prompt says', () => {
    expect(callKind(req({ structured: true, outputFields: ['pattern', 'agents', 'reasoning', 'expectations', 'lessonsUsed', 'confidence', 'params'] }))).toBe(
      'decision',
    );
    expect(callKind(req({ structured: true, outputFields: ['action', 'reasoning', 'confidence', 'pattern', 'agents'] }))).toBe('revision');
    expect(callKind(req({ structured: true, outputFields: ['outcome', 'summary', 'lessons'] }))).toBe('analysis');
  });

  it('agent calls by their tool set (ask_user aside); shared sets by the role text of the roles table', () => {
    expect(callKind(req({ toolNames: [...READ, 'edit_file', 'write_file', 'bash', 'ask_user'] }))).toBe('coder');
    expect(callKind(req({ toolNames: [...READ, 'bash'] }))).toBe('reviewer');
    expect(callKind(req({ toolNames: [...READ, 'ask_user'], system: `${roles.explorer.system}\nmore` }))).toBe('explorer');
    expect(callKind(req({ toolNames: READ, system: `${roles.planner.system}\nmore` }))).toBe('planner');
    expect(callKind(req({ system: roles.summarizer.system }))).toBe('summarizer');
    expect(callKind(req({}))).toBe('compaction');
    expect(callKind(req({ toolNames: ['bash'] }))).toBe('unknown');
  });

  it('a forced tool names its call', () => {
    expect(callKind(req({ toolNames: ['submit_plan'], toolChoice: { type: 'tool', name: 'submit_plan' } }))).toBe('forced:submit_plan');
  });
});

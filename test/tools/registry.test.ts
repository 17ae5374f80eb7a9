import { describe, expect, it } from 'vitest';
import { allTools, parseToolInput, toolDefinitions, toolsByName } from '../../src/tools/registry.js';

describe('registry', () => {
  it('has the tools of the public contract with their permission classes', () => {
    expect(Object.fromEntries(allTools.map((t) => [t.name, t.permission]))).toEqual({
      read_file: 'read',
      list_files: 'read',
      glob: 'read',
      grep: 'read',
      edit_file: 'write',
      write_file: 'write',
      bash: 'exec',
      ask_user: 'none',
    });
    expect(toolsByName.constructor).toBeUndefined();
  });

  it('derives API definitions from the zod schemas, without what the API does not need', () => {
    const [read, edit] = toolDefinitions(['read_file', 'edit_file']);
    expect(read).toEqual({
      name: 'read_file',
      description: toolsByName.read_file!.description,
      input_schema: {
        type: 'object',
        properties: {
          path: { type: 'string', minLength: 1, description: 'File path relative to the project root' },
          offset: { type: 'integer', minimum: 1, description: 'First line to read, 1-based' },
          limit: { type: 'integer', minimum: 1, description: 'Number of lines (default 2000)' },
        },
        required: ['path'],
      },
    });
    expect(edit!.input_schema.required).toEqual(['path', 'old_string', 'new_string']);
    expect(Object.keys(edit!.input_schema.properties as object)).toEqual(['path', 'old_string', 'new_string', 'replaceAll']);
    expect(JSON.stringify(toolDefinitions(allTools.map((t) => t.name)))).not.toMatch(/\$schema|additionalProperties|9007199254740991/);
  });

  it('keeps every description short (they are paid for on every turn)', () => {
    for (const t of allTools) expect({ tool: t.name, short: t.description.length <= 200 }).toEqual({ tool: t.name, short: true });
  });

  it('parses valid input and explains invalid input field by field', () => {
    expect(parseToolInput('read_file', { path: 'a.ts', offset: 2 })).toMatchObject({ ok: true, input: { path: 'a.ts', offset: 2 } });
    expect(parseToolInput('read_file', { file_path: 'a.ts' })).toEqual({
      ok: false,
      message: 'invalid input for read_file: input.path: required (string); input: Unrecognized key: "file_path". Fix the input and call read_file again.',
    });
    expect(parseToolInput('read_file', { path: 3, offset: 0 })).toEqual({
      ok: false,
      message:
        'invalid input for read_file: input.path: Invalid input: expected string, received number; input.offset: Too small: expected number to be >=1. Fix the input and call read_file again.',
    });
    expect(parseToolInput('ask_user', { question: 'pick', options: [''] })).toMatchObject({ ok: false });
    expect(parseToolInput('teleport', {})).toEqual({
      ok: false,
      message: 'unknown tool "teleport"; available tools: read_file, list_files, glob, grep, edit_file, write_file, bash, ask_user',
    });
    expect(parseToolInput('constructor', {})).toMatchObject({ ok: false });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roles } from '../../src/agents/roles.js';
import { DEFAULT_AGENT_TOOLS, BUILT_IN_ROLES, describeAgents, loadAgentFiles, mapTools } from '../../src/extensions/agents.js';
import { formatWarning } from '../../src/extensions/types.js';
import { makeDirs, type Dirs } from './helpers.js';

const security = `---
name: security-reviewer
description: Reviews a change for security problems (injection, secrets, unsafe input).
tools: Read, Grep, Glob, Bash
model: claude-opus-4-1
effort: high
maxTurns: 12
---
You are a security reviewer. Read the diff and report concrete issues with paths and lines.
`;

let d: Dirs;
beforeEach(() => (d = makeDirs()));
afterEach(() => d.cleanup());
const load = () => loadAgentFiles({ root: d.root, env: d.env });

describe('agent files', () => {
  it('parses front matter, maps Claude Code tool names and keeps the body as the system prompt', () => {
    d.project('.baton/agents/security-reviewer.md', security);
    const set = load();
    expect(set.warnings).toEqual([]);
    expect(set.agents).toHaveLength(1);
    const a = set.agents[0]!;
    expect(a).toMatchObject({
      name: 'security-reviewer',
      tools: ['read_file', 'grep', 'glob', 'bash'],
      model: 'claude-opus-4-1',
      effort: 'high',
      maxTurns: 12,
      source: 'project',
    });
    expect(a.system).toBe('You are a security reviewer. Read the diff and report concrete issues with paths and lines.');
    expect(describeAgents(set.agents)).toContain(
      '- security-reviewer: Reviews a change for security problems (injection, secrets, unsafe input). Tools: read_file, grep, glob, bash.',
    );
  });

  it("defaults to the coder's tools, and those stay equal to the built-in coder role", () => {
    d.project('.baton/agents/a.md', '---\nname: helper\ndescription: helps\n---\nHelp.\n');
    expect(load().agents[0]!.tools).toEqual([...roles.coder.tools]);
    expect([...DEFAULT_AGENT_TOOLS]).toEqual([...roles.coder.tools]);
    expect([...BUILT_IN_ROLES].sort()).toEqual(Object.keys(roles).sort());
  });

  it('accepts a YAML list with MCP tools and drops unknown tools with one warning', () => {
    d.project(
      '.claude/agents/gh.md',
      '---\nname: gh\ndescription: GitHub work\ntools:\n  - Read\n  - mcp__github__search_issues\n  - WebFetch\n  - TodoWrite\n---\nUse GitHub.\n',
    );
    const set = load();
    expect(set.agents[0]!.tools).toEqual(['read_file', 'mcp__github__search_issues']);
    expect(set.warnings.map(formatWarning)).toEqual(['.claude/agents/gh.md: tools: unknown tools WebFetch, TodoWrite ignored']);
  });

  it('skips a bad file with one warning naming the file and the field', () => {
    d.project('.baton/agents/no-desc.md', '---\nname: x\n---\nbody\n');
    d.project('.baton/agents/bad-effort.md', '---\nname: y\ndescription: d\neffort: huge\n---\nbody\n');
    d.project('.baton/agents/bad-yaml.md', '---\nname: [unclosed\n---\nbody\n');
    d.project('.baton/agents/no-front.md', 'just text\n');
    d.project('.baton/agents/empty.md', '---\nname: z\ndescription: d\n---\n\n');
    d.project('.baton/agents/turns.md', '---\nname: t\ndescription: d\nmaxTurns: -1\n---\nbody\n');
    d.project('.baton/agents/good.md', '---\nname: good\ndescription: fine\n---\nok\n');
    const set = load();
    expect(set.agents.map((a) => a.name)).toEqual(['good']);
    const lines = set.warnings.map(formatWarning);
    expect(lines).toHaveLength(6);
    expect(lines).toContain('.baton/agents/no-desc.md: description: required (skipped)');
    expect(lines.find((l) => l.startsWith('.baton/agents/bad-effort.md: effort:'))).toBeDefined();
    expect(lines.find((l) => l.startsWith('.baton/agents/bad-yaml.md: front matter is not valid YAML'))).toBeDefined();
    expect(lines).toContain('.baton/agents/no-front.md: no YAML front matter (the file must start with a --- line) (skipped)');
    expect(lines.find((l) => l.startsWith('.baton/agents/empty.md: body:'))).toBeDefined();
    expect(lines.find((l) => l.startsWith('.baton/agents/turns.md: maxTurns:'))).toBeDefined();
  });

  it('does not let a file shadow a built-in role: one warning, skipped', () => {
    d.project('.baton/agents/coder.md', '---\nname: coder\ndescription: my coder\n---\nCode.\n');
    const set = load();
    expect(set.agents).toEqual([]);
    expect(set.warnings.map(formatWarning)).toEqual(['.baton/agents/coder.md: name: "coder" is a built-in role; rename the agent (skipped)']);
  });

  it('the project wins over $BATON_HOME; the hash changes only when a file does', () => {
    d.user('agents/sec.md', security.replace('You are', 'USER: you are'));
    d.user('agents/docs.md', '---\nname: docs\ndescription: writes docs\ntools: Read, Write\n---\nWrite docs.\n');
    d.project('.baton/agents/sec.md', security);
    const first = load();
    expect(first.warnings).toEqual([]);
    expect(first.agents.map((a) => [a.name, a.source])).toEqual([
      ['docs', 'user'],
      ['security-reviewer', 'project'],
    ]);
    expect(first.agents[1]!.system.startsWith('You are')).toBe(true);
    expect(load().hash).toBe(first.hash);
    d.user('agents/docs.md', '---\nname: docs\ndescription: writes better docs\ntools: Read, Write\n---\nWrite docs.\n');
    expect(load().hash).not.toBe(first.hash);
  });

  it('an empty set has a stable hash and no description text', () => {
    const set = load();
    expect(set.agents).toEqual([]);
    expect(set.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(describeAgents(set.agents)).toBe('');
  });

  it('mapTools: comma list, duplicates collapse, our own names pass', () => {
    const warnings: string[] = [];
    expect(mapTools('Read, read_file, Edit, MultiEdit, LS', (m) => warnings.push(m))).toEqual(['read_file', 'edit_file', 'list_files']);
    expect(warnings).toEqual([]);
  });
});

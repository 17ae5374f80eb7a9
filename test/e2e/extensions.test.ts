/**
 * Extensions at run time, end to end in print mode against the fake API: an agent file chosen as
 * a role (its system prompt, its tool list enforced, named by show, counted by stats), a playbook
 * with a missing parameter (a durable question, then its steps), MCP tools from a stdio test server
 * and from the published filesystem server (no process left behind), retired patterns and the
 * project config's ignored keys.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATON_BIN } from '../support/cli.js';
import { useE2e } from '../support/e2e.js';
import { textReply, toolReply, type ParsedRequest } from '../support/fake-api.js';
import { decision, isAgentFile, isDecision, isRole } from '../support/routes.js';
import { FS_SERVER, gone, pidsIn, STDIO_SERVER } from '../extensions/mcp-support.js';
import { withAnalysis } from '../support/scenarios.js';

const e2e = useE2e({ files: { 'README.md': '# demo\n', 'notes.md': '# notes\n' } });
const requestsOf = (kind: string) =>
  e2e.fake.journal
    .filter((j) => j.kind === kind)
    .map(
      (j) =>
        j.body as { system?: unknown; tools?: { name: string; input_schema: Record<string, unknown> }[]; output_config?: { format?: { schema?: unknown } } },
    );
const systemText = (body: { system?: unknown }) =>
  Array.isArray(body.system) ? (body.system as { text: string }[]).map((b) => b.text).join('\n') : String(body.system ?? '');
const runId = () => e2e.query<{ id: string }>('SELECT id FROM runs ORDER BY started_at DESC')[0]!.id;
const firstMessage = (r: ParsedRequest) => JSON.stringify(r.messages[0]);

const SECURITY = `---
name: security-reviewer
description: Reviews changes for security problems (injection, secrets, unsafe input handling).
tools: Read, Grep
effort: low
---
You are SECURITY-REVIEWER-MARKER: read the code and report security problems with file and line.
`;

describe('agent files at run time', () => {
  it('a decision chooses a custom agent: its system prompt and tool list reach the API, other tools are refused, show and stats name it', async () => {
    e2e.repo.write('.baton/agents/security.md', SECURITY);
    e2e.fake.setScript(
      withAnalysis({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'security-reviewer' as 'coder', instructions: 'review src for injection' }])] },
        agent: {
          when: isAgentFile('You are SECURITY-REVIEWER-MARKER'),
          replies: [toolReply('write_file', { path: 'pwned.txt', content: 'x' }), toolReply('grep', { pattern: 'demo' }), textReply('no problems found')],
        },
      }),
    );
    const r = await e2e.baton(['-p', 'check the code for security problems', '--permission-mode', 'bypass']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('no problems found');

    // The orchestrator was shown the agent (cached system prompt) and may name it as a role.
    const [decided] = requestsOf('decision');
    expect(systemText(decided!)).toContain('- security-reviewer: Reviews changes for security problems');
    expect(JSON.stringify(decided!.output_config)).toContain('"security-reviewer"');

    // The agent ran with the file's body as its system prompt and only its tools (plus ask_user).
    const calls = requestsOf('agent');
    expect(systemText(calls[0]!)).toMatch(/^You are SECURITY-REVIEWER-MARKER/);
    expect(calls[0]!.tools!.map((t) => t.name)).toEqual(['read_file', 'grep', 'ask_user']);
    // write_file is not in its list: refused, nothing written.
    expect(e2e.query('SELECT name, status FROM tool_calls ORDER BY started_at, rowid')).toEqual([
      { name: 'write_file', status: 'denied' },
      { name: 'grep', status: 'completed' },
    ]);
    expect(readdirSync(e2e.repo.root)).not.toContain('pwned.txt');

    const hash = createHash('sha256').update(SECURITY).digest('hex');
    expect(e2e.query('SELECT role, agent_file AS file, agent_file_hash AS hash FROM agent_calls')).toEqual([
      { role: 'security-reviewer', file: '.baton/agents/security.md', hash },
    ]);
    const show = await e2e.baton(['show', runId()]);
    expect(show.stdout).toContain(`agent file .baton/agents/security.md (sha256 ${hash.slice(0, 12)})`);
    const stats = JSON.parse((await e2e.baton(['stats', '--json'])).stdout) as { roles: { role: string; agentFile: string | null; calls: number }[] };
    expect(stats.roles).toContainEqual(expect.objectContaining({ role: 'security-reviewer', agentFile: '.baton/agents/security.md', calls: 1 }));
    expect((await e2e.baton(['stats'])).stdout).toContain('security-reviewer (agent file)');
  });
});

const RELEASE = `---
name: Release
description: Cut a release of the project
params:
  version:
    description: the version to release
  branch:
    description: the branch
    default: main
---
## Bump
Write {{version}} into VERSION on {{branch}}.
## Note
Add "released {{version}}" to notes.md.
`;

describe('playbooks at run time', () => {
  it('plan-execute with a playbook: a missing value is a durable question, then the steps run from the playbook', async () => {
    e2e.repo.write('.baton/playbooks/release.md', RELEASE);
    e2e.fake.setScript(
      withAnalysis({
        decision: {
          when: isDecision,
          replies: [
            decision('plan-execute', [{ role: 'coder', instructions: 'carry out the release steps' }], { playbook: 'release', params: { values: [] } }),
          ],
        },
        step1: {
          when: (r) => isRole('coder')(r) && firstMessage(r).includes('(1/2)'),
          replies: [toolReply('write_file', { path: 'VERSION', content: '2.0.0\n' }), textReply('bumped')],
        },
        step2: {
          when: (r) => isRole('coder')(r) && firstMessage(r).includes('(2/2)'),
          replies: [toolReply('write_file', { path: 'notes.md', content: '# notes\nreleased 2.0.0\n' }), textReply('noted')],
        },
      }),
    );
    const asked = await e2e.baton(['-p', 'cut a release', '--permission-mode', 'bypass']);
    expect(asked.code, asked.stderr).toBe(3);
    expect(asked.stdout).toContain('needs a value for "version" (the version to release)');
    const [decided] = requestsOf('decision');
    expect(systemText(decided!)).toContain(
      '- release: Cut a release of the project (2 steps); params: version (required): the version to release; branch (default "main")',
    );
    // The playbook's steps are the plan: no planner was asked; the default is filled in already.
    expect(e2e.fake.journal.some((j) => j.kind === 'planner')).toBe(false);
    expect(e2e.query('SELECT idx, title, instructions, status FROM plan_steps ORDER BY idx')).toEqual([
      { idx: 1, title: 'Bump', instructions: 'Write {{version}} into VERSION on main.', status: 'pending' },
      { idx: 2, title: 'Note', instructions: 'Add "released {{version}}" to notes.md.', status: 'pending' },
    ]);
    const hash = createHash('sha256').update(RELEASE).digest('hex');
    expect(e2e.query('SELECT status, playbook, playbook_file AS file, playbook_hash AS hash FROM runs')).toEqual([
      { status: 'waiting_user', playbook: 'release', file: '.baton/playbooks/release.md', hash },
    ]);

    const answered = await e2e.baton(['answer', runId(), '2.0.0']);
    expect(answered.code, answered.stderr).toBe(0);
    expect(e2e.read('VERSION')).toBe('2.0.0\n');
    expect(e2e.read('notes.md')).toContain('released 2.0.0');
    // Both steps got the value (asked once), substituted into their instructions.
    const step1 = e2e.fake.journal.find((j) => j.kind === 'step1')!.body as { messages: unknown[] };
    const step2 = e2e.fake.journal.find((j) => j.kind === 'step2')!.body as { messages: unknown[] };
    expect(JSON.stringify(step1.messages[0])).toContain('Write 2.0.0 into VERSION on main.');
    expect(JSON.stringify(step2.messages[0])).toContain('Add \\"released 2.0.0\\" to notes.md.');
    expect(e2e.query<{ n: number }>('SELECT count(*) AS n FROM questions')[0]!.n).toBe(1);
    expect(e2e.query('SELECT idx, status, params_json AS params FROM plan_steps ORDER BY idx')).toEqual([
      { idx: 1, status: 'completed', params: '{"version":"2.0.0"}' },
      { idx: 2, status: 'completed', params: '{"version":"2.0.0"}' },
    ]);
    const show = await e2e.baton(['show', runId()]);
    expect(show.stdout).toContain(`playbook release (.baton/playbooks/release.md, sha256 ${hash.slice(0, 12)})`);
  });
});

/** Live processes whose command line contains `marker` (Linux /proc). */
function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('MCP tools at run time', () => {
  it("a trusted stdio server's tool is offered to the coder with its schema and called; an unapproved project server is skipped with one notice; no server outlives the run", async () => {
    const pids = join(e2e.repo.home, 'pids');
    const projectPids = join(e2e.repo.home, 'project-pids');
    writeFileSync(
      join(e2e.repo.home, 'mcp.json'),
      JSON.stringify({ mcpServers: { t: { command: process.execPath, args: [STDIO_SERVER, '--label', 'tst', '--pid-file', pids] } } }),
    );
    e2e.repo.write('.mcp.json', JSON.stringify({ mcpServers: { proj: { command: process.execPath, args: [STDIO_SERVER, '--pid-file', projectPids] } } }));
    e2e.fake.setScript(
      withAnalysis({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'echo hello through the server' }])] },
        coder: { when: isRole('coder'), replies: [toolReply('mcp__t__echo', { text: 'hello' }), textReply('the server said it')] },
      }),
    );
    const r = await e2e.baton(['-p', 'use the echo tool', '--permission-mode', 'bypass']);
    expect(r.code, r.stderr).toBe(0);
    // One notice for the project server that is not approved here; it never started.
    expect(r.stderr.match(/MCP server "proj"/g)).toHaveLength(1);
    expect(r.stderr).toContain('baton mcp approve proj');
    expect(pidsIn(projectPids)).toEqual([]);
    // The orchestrator was told the servers exist (without connecting them for the decision).
    expect(systemText(requestsOf('decision')[0]!)).toContain('MCP servers (their tools go to the coder and to custom agents that list them): t, proj');

    const tools = requestsOf('coder')[0]!.tools!;
    const echo = tools.find((t) => t.name === 'mcp__t__echo')!;
    expect(echo.input_schema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
    expect(e2e.query('SELECT name, status, output FROM tool_calls')).toEqual([{ name: 'mcp__t__echo', status: 'completed', output: 'tst: hello' }]);
    const started = pidsIn(pids);
    expect(started).toHaveLength(1);
    expect(await gone(started)).toBe(true);
  });

  it('a server that dies mid-call is a tool error and a notice; the run goes on and finishes', async () => {
    const pids = join(e2e.repo.home, 'pids');
    writeFileSync(
      join(e2e.repo.home, 'mcp.json'),
      JSON.stringify({ mcpServers: { t: { command: process.execPath, args: [STDIO_SERVER, '--pid-file', pids] } } }),
    );
    e2e.fake.setScript(
      withAnalysis({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'crash it' }])] },
        coder: {
          when: isRole('coder'),
          replies: [toolReply('mcp__t__crash', {}), toolReply('mcp__t__echo', { text: 'again' }), textReply('went on without it')],
        },
      }),
    );
    const r = await e2e.baton(['-p', 'use the crash tool', '--permission-mode', 'bypass']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('went on without it');
    expect(r.stderr).toMatch(/MCP server "t" (stopped|did not)/);
    const calls = e2e.query<{ name: string; is_error: number; output: string }>('SELECT name, is_error, output FROM tool_calls ORDER BY started_at, rowid');
    expect(calls.map((c) => [c.name, c.is_error])).toEqual([
      ['mcp__t__crash', 1],
      ['mcp__t__echo', 1],
    ]);
    expect(calls[1]!.output).toContain('MCP server "t" is not available');
    expect(await gone(pidsIn(pids))).toBe(true);
  });

  it('Ctrl-C in the middle of a run: the run is cancelled and the server process ends with baton', async () => {
    const pids = join(e2e.repo.home, 'pids');
    writeFileSync(
      join(e2e.repo.home, 'mcp.json'),
      JSON.stringify({ mcpServers: { t: { command: process.execPath, args: [STDIO_SERVER, '--pid-file', pids] } } }),
    );
    let hung = false;
    e2e.fake.setScript(
      withAnalysis({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'echo then wait' }])] },
        coder: {
          when: isRole('coder'),
          replies: (_r, i) => {
            if (i === 0) return toolReply('mcp__t__echo', { text: 'x' });
            hung = true;
            return { fault: 'hang' };
          },
        },
      }),
    );
    const child = spawn(process.execPath, [BATON_BIN, '-p', 'echo and wait', '--permission-mode', 'bypass'], {
      cwd: e2e.repo.root,
      env: { ...process.env, ...e2e.env(), BATON_HOME: e2e.repo.home },
      stdio: 'ignore',
    });
    for (let i = 0; i < 200 && !hung; i++) await new Promise((r) => setTimeout(r, 50));
    expect(hung).toBe(true);
    const started = pidsIn(pids);
    expect(started).toHaveLength(1);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(await gone(started)).toBe(true);
    expect(e2e.query('SELECT status FROM runs')).toEqual([{ status: 'cancelled' }]);
  });

  it('with the published filesystem server: the coder lists the project through it; the server ends with baton', async () => {
    const marker = e2e.repo.root;
    writeFileSync(join(e2e.repo.home, 'mcp.json'), JSON.stringify({ mcpServers: { fs: { command: process.execPath, args: [FS_SERVER, marker] } } }));
    e2e.fake.setScript(
      withAnalysis({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'list the files' }])] },
        coder: { when: isRole('coder'), replies: [toolReply('mcp__fs__list_directory', { path: marker }), textReply('listed')] },
      }),
    );
    const r = await e2e.baton(['-p', 'list the project through MCP', '--permission-mode', 'bypass']);
    expect(r.code, r.stderr).toBe(0);
    const [call] = e2e.query<{ status: string; output: string }>('SELECT status, output FROM tool_calls');
    expect(call!.status).toBe('completed');
    expect(call!.output).toContain('notes.md');
    expect(processesWith(FS_SERVER).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker))).toEqual([]);
  });

  it('an agent file may list MCP tools: it gets exactly those', async () => {
    writeFileSync(
      join(e2e.repo.home, 'mcp.json'),
      JSON.stringify({ mcpServers: { t: { command: process.execPath, args: [STDIO_SERVER, '--label', 'tst'] } } }),
    );
    e2e.repo.write(
      '.baton/agents/adder.md',
      '---\nname: adder\ndescription: Adds numbers with the MCP tool\ntools: [mcp__t__add]\n---\nYou are ADDER-MARKER.\n',
    );
    e2e.fake.setScript(
      withAnalysis({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'adder' as 'coder', instructions: 'add 2 and 3' }])] },
        adder: { when: isAgentFile('You are ADDER-MARKER'), replies: [toolReply('mcp__t__add', { a: 2, b: 3 }), textReply('5')] },
      }),
    );
    const r = await e2e.baton(['-p', 'add 2 and 3', '--permission-mode', 'bypass']);
    expect(r.code, r.stderr).toBe(0);
    expect(requestsOf('adder')[0]!.tools!.map((t) => t.name)).toEqual(['mcp__t__add', 'ask_user']);
    expect(e2e.query('SELECT name, output FROM tool_calls')).toEqual([{ name: 'mcp__t__add', output: '5' }]);
  });
});

describe('config at run time', () => {
  it('a disabled pattern is not offered and a decision naming it is invalid; a project permission key is ignored with one warning', async () => {
    e2e.repo.write('.baton/config.json', JSON.stringify({ disabledPatterns: ['parallel'], permissionMode: 'bypass' }));
    const parallel = decision('parallel', [{ role: 'explorer', instructions: 'look' }]);
    e2e.fake.setScript(
      withAnalysis({
        decision: { when: isDecision, replies: [parallel, parallel] },
        coder: { when: isRole('coder'), replies: [textReply('done directly')] },
      }),
    );
    const r = await e2e.baton(['-p', 'look around']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('permissionMode'))).toHaveLength(1);
    expect(r.stderr).toContain('baton: .baton/config.json: permissionMode: a project cannot set permissionMode');
    const [decided] = requestsOf('decision');
    expect(systemText(decided!)).not.toContain('- parallel:');
    const schema = JSON.stringify(decided!.output_config);
    expect(schema).toContain('"plan-execute"');
    expect(schema).not.toContain('"parallel"');
    // Named anyway, the decision is invalid (repaired once, then the recorded fallback to direct).
    expect(r.stderr).toContain('falling back to direct');
    expect(e2e.query('SELECT kind, pattern FROM decisions')).toEqual([{ kind: 'fallback', pattern: 'direct' }]);
    // The project's permission mode did not apply: the run asked nothing and kept the default mode.
    expect(e2e.query('SELECT permission_mode AS mode FROM runs')).toEqual([{ mode: 'ask' }]);
  });
});

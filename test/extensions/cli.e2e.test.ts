import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BATON_BIN, runBaton } from '../support/cli.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { gone, pidsIn, STDIO_SERVER } from './mcp-support.js';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeBy, startFakeApi, textReply } from '../support/fake-api.js';
import { decision, isDecision, isRole } from '../support/routes.js';

let repo: TempRepo;
beforeEach(() => (repo = makeTempRepo()));
afterEach(() => repo.cleanup());
const baton = (args: string[], env: Record<string, string> = {}) => runBaton(args, { cwd: repo.root, home: repo.home, env });
const server = (...args: string[]) => ({ command: process.execPath, args: [STDIO_SERVER, ...args] });

describe('baton agents / playbooks', () => {
  it('list with validation problems; exit 1 when a file has one', async () => {
    repo.write('.baton/agents/sec.md', '---\nname: security-reviewer\ndescription: Reviews for security\ntools: Read, Grep\n---\nReview.\n');
    repo.write('.claude/agents/bad.md', '---\nname: bad\n---\nno description\n');
    const text = await baton(['agents']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('security-reviewer  .baton/agents/sec.md (project)');
    expect(text.stdout).toContain('  tools: read_file, grep');
    expect(text.stdout).toContain('Problems:\n  .claude/agents/bad.md: description: required (skipped)');
    const json = JSON.parse((await baton(['agents', '--json'])).stdout) as {
      agents: { name: string; systemChars: number }[];
      warnings: unknown[];
      hash: string;
    };
    expect(json.agents.map((a) => a.name)).toEqual(['security-reviewer']);
    expect(json.agents[0]!.systemChars).toBe(7);
    expect(json.warnings).toEqual([{ file: '.claude/agents/bad.md', field: 'description', message: 'required (skipped)' }]);
  });

  it('playbooks: listed with params and steps; clean files exit 0', async () => {
    repo.write(
      '.baton/playbooks/release.md',
      '---\nname: Release\ndescription: Cut a release\nparams:\n  version:\n    description: the version\n---\n## Bump\nSet {{version}}\n## Tag\nTag v{{version}}\n',
    );
    const r = await baton(['playbooks']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^release {2}Release {2}\.baton\/playbooks\/release\.md \(project, [0-9a-f]{12}\)\n {2}Cut a release\n {2}params: version \(required\)\n {2}1\. Bump\n {2}2\. Tag\n$/,
    );
    const json = JSON.parse((await baton(['playbooks', '--json'])).stdout) as { playbooks: { id: string; steps: unknown[] }[] };
    expect(json.playbooks[0]).toMatchObject({ id: 'release', steps: [{ title: 'Bump' }, { title: 'Tag' }] });
  });
});

describe('baton mcp', () => {
  it('a project server is not started until approved; approve, list (connects, then closes it), revoke', async () => {
    const pidFile = join(repo.home, 'pids');
    writeFileSync(join(repo.root, '.mcp.json'), JSON.stringify({ mcpServers: { proj: server('--pid-file', pidFile) } }));
    const before = await baton(['mcp', 'list']);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('trust: unapproved (baton mcp approve proj); not-started');
    expect(pidsIn(pidFile)).toEqual([]);

    const ok = await baton(['mcp', 'approve', 'proj']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Approved MCP server "proj"/);
    const after = JSON.parse((await baton(['mcp', 'list', '--json'])).stdout) as { servers: { trust: string; status: string; tools: { name: string }[] }[] };
    expect(after.servers[0]).toMatchObject({ trust: 'approved', status: 'connected' });
    expect(after.servers[0]!.tools.map((t) => t.name)).toContain('mcp__proj__echo');
    const pids = pidsIn(pidFile);
    expect(pids).toHaveLength(1);
    expect(await gone(pids)).toBe(true);

    expect((await baton(['mcp', 'revoke', 'proj'])).code).toBe(0);
    const again = await baton(['mcp', 'revoke', 'proj']);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`baton: MCP server "proj" is not approved in ${repo.root}\n`);
    const unknown = await baton(['mcp', 'approve', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('baton: no server "nope"');
  });

  it('a user server is trusted; a failing one is shown and exits 1', async () => {
    writeFileSync(join(repo.home, 'mcp.json'), JSON.stringify({ mcpServers: { mine: server(), broken: server('--fail-start') } }));
    const r = await baton(['mcp', 'list']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/mine {2}.*\(user, stdio\)[^\n]*\n {2}trust: trusted; connected in [\d.]+ s, 6 tools/);
    expect(r.stdout).toContain('failed: ');
    expect(r.stdout).toContain('stderr: cannot start: missing token');
    const user = await baton(['mcp', 'approve', 'mine']);
    expect(user.code).toBe(2);
    expect(user.stderr).toContain('trusted already');
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`no server process outlives baton after ${signal}`, async () => {
      const pidFile = join(repo.home, 'pids');
      writeFileSync(
        join(repo.home, 'mcp.json'),
        JSON.stringify({ mcpServers: { a: server('--pid-file', pidFile), slow: server('--hang', '--pid-file', pidFile) } }),
      );
      const env: Record<string, string> = { BATON_HOME: repo.home, NO_COLOR: '1', PATH: process.env.PATH ?? '', BATON_MCP_TIMEOUT_MS: '60000' };
      const child = spawn(process.execPath, [BATON_BIN, 'mcp', 'list'], { cwd: repo.root, env, stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const until = Date.now() + 20_000;
      while (pidsIn(pidFile).length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      const pids = pidsIn(pidFile);
      expect(pids).toHaveLength(2);
      child.kill(signal);
      expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(await gone(pids)).toBe(true);
    });
  }
});

describe('start-up', () => {
  it('`baton -p` with no MCP server configured loads none of the MCP code', async () => {
    const fake = await startFakeApi();
    const log = join(mkdtempSync(join(tmpdir(), 'baton-load-')), 'modules.log');
    try {
      fake.setScript(
        routeBy({
          decision: { when: isDecision, replies: [decision('direct', [{ role: 'explorer', instructions: 'answer' }])] },
          explorer: { when: isRole('explorer'), replies: [textReply('ok')] },
        }),
      );
      const loadLog = fileURLToPath(new URL('../support/load-log.mjs', import.meta.url));
      const r = await baton(['-p', 'hi'], {
        NODE_OPTIONS: `--import=${loadLog}`,
        BATON_LOAD_LOG: log,
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: fake.url,
        BATON_ANALYSIS: 'off',
      });
      expect(r.code, r.stderr).toBe(0);
      const mods = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
      expect(mods.length).toBeGreaterThan(0);
      expect(mods.filter((m) => m.includes('@modelcontextprotocol') || m.includes('/extensions/mcp/'))).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMcp } from '../../src/extensions/mcp/index.js';
import { loadMcpServers } from '../../src/extensions/mcp/config.js';
import type { McpManager } from '../../src/extensions/mcp/manager.js';
import { liveServerPids } from '../../src/extensions/mcp/processes.js';
import { formatWarning } from '../../src/extensions/types.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { approveMcpServer, mcpApprovals, revokeMcpServer } from '../../src/store/mcp-approvals.js';
import { makeDirs, type Dirs } from './helpers.js';
import { alive, FS_SERVER, gone, pidsIn, startHttpServer, stdioEntry } from './mcp-support.js';

let d: Dirs;
let db: Db;
let managers: McpManager[];
let notices: string[];
beforeEach(() => {
  d = makeDirs();
  db = openDatabase(':memory:');
  managers = [];
  notices = [];
});
afterEach(async () => {
  for (const m of managers) await m.close();
  db.close();
  d.cleanup();
});

const userServers = (servers: Record<string, unknown>) => d.user('mcp.json', JSON.stringify({ mcpServers: servers }));
const projectServers = (servers: Record<string, unknown>) => d.project('.mcp.json', JSON.stringify({ mcpServers: servers }));

async function open(extra: { connectTimeoutMs?: number } = {}): Promise<McpManager> {
  const m = await openMcp({ root: d.root, env: { ...d.env, TEST_TOKEN: 'sesame' }, db, onNotice: (n) => notices.push(n), ...extra });
  if (!m) throw new Error('no manager');
  managers.push(m);
  return m;
}

const ctx = () => ({ root: d.root, signal: new AbortController().signal });

describe('MCP servers', () => {
  it('with nothing configured there is no manager', async () => {
    expect(await openMcp({ root: d.root, env: d.env })).toBeUndefined();
  });

  it('stdio: tools are named mcp__<server>__<tool> with the server schema; results are formatted, summarised and capped', async () => {
    userServers({ local: stdioEntry('--label', 'L') });
    const m = await open();
    await m.connect();
    expect(notices).toEqual([]);
    const [state] = m.status();
    expect(state).toMatchObject({ status: 'connected', trust: 'trusted' });
    const tools = m.tools();
    expect(tools.map((t) => t.name)).toEqual([
      'mcp__local__echo',
      'mcp__local__add',
      'mcp__local__picture',
      'mcp__local__big',
      'mcp__local__fail',
      'mcp__local__crash',
    ]);
    const echo = tools[0]!;
    expect(echo).toMatchObject({ permission: 'exec', server: 'local', mcpName: 'echo' });
    expect(echo.inputSchema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
    expect(echo.schema.safeParse({ text: 'hi' }).success).toBe(true);
    expect(echo.schema.safeParse({ text: 1 }).success).toBe(false);
    expect(echo.ruleKey({ text: 'x' })).toBe('mcp__local__echo');
    expect(await echo.run({ text: 'hi' }, ctx())).toMatchObject({ isError: false, output: 'L: hi' });
    expect((await m.call('mcp__local__add', { a: 2, b: 3 })).output).toBe('5');
    const pic = await m.call('mcp__local__picture', {});
    expect(pic.output).toBe('here is a picture\n[image: image/png, 68 B]\n[resource file:///blob.bin (application/octet-stream): binary, 68 B]');
    const big = await m.call('mcp__local__big', { chars: 50_000 });
    expect(big.output.length).toBeLessThan(31_000);
    expect(big.output).toContain('[… 20000 chars omitted …]');
    expect(await m.call('mcp__local__fail', {})).toEqual({ isError: true, output: 'it went wrong', summary: 'error' });
    expect(await m.call('mcp__nope__x', {})).toMatchObject({ isError: true });
  });

  it('streamable HTTP with headers (${VAR} expanded)', async () => {
    const http = await startHttpServer('--token', 'sesame');
    try {
      userServers({ remote: { type: 'http', url: http.url, headers: { Authorization: 'Bearer ${TEST_TOKEN}' } } });
      const m = await open();
      await m.connect();
      expect(m.status()[0]).toMatchObject({ status: 'connected' });
      expect((await m.call('mcp__remote__echo', { text: 'over http' })).output).toBe('http: over http');
    } finally {
      http.stop();
    }
  });

  it('a failing and a missing server are one notice each; the others connect; nothing is left running', async () => {
    const pidFile = `${d.home}/pids`;
    userServers({ good: stdioEntry('--pid-file', pidFile), broken: stdioEntry('--fail-start'), missing: { command: '/nonexistent/mcp-server' } });
    const m = await open();
    await m.connect();
    const byName = Object.fromEntries(m.status().map((s) => [s.config.name, s]));
    expect(byName.good, byName.good!.error).toMatchObject({ status: 'connected' });
    expect(byName.broken).toMatchObject({ status: 'failed' });
    expect(byName.broken!.error).toContain('stderr: cannot start: missing token');
    expect(byName.missing!.status).toBe('failed');
    expect(notices).toHaveLength(2);
    expect(notices.every((n) => /^MCP server "(broken|missing)" did not start: .*; continuing without its tools$/.test(n))).toBe(true);
    expect(m.tools().every((t) => t.server === 'good')).toBe(true);
    const pids = pidsIn(pidFile);
    expect(pids).toHaveLength(1);
    await m.close();
    expect(await gone(pids)).toBe(true);
    expect(liveServerPids()).toEqual([]);
  });

  it('a server that does not answer within the timeout is one notice, and its process is ended', async () => {
    const pidFile = `${d.home}/pids`;
    userServers({ slow: stdioEntry('--hang', '--pid-file', pidFile) });
    const m = await open({ connectTimeoutMs: 1000 });
    const t = performance.now();
    await m.connect();
    expect(performance.now() - t).toBeLessThan(8000);
    expect(m.status()[0]).toMatchObject({ status: 'failed', error: 'no answer within 1 s' });
    expect(notices).toEqual(['MCP server "slow" did not start: no answer within 1 s; continuing without its tools']);
    // The failed start already closed it (the --hang server ignores the end of stdin: this is the SIGTERM).
    expect(await gone(pidsIn(pidFile))).toBe(true);
    expect(liveServerPids()).toEqual([]);
  });

  it('a server that dies mid-call is a tool error and one notice; the run goes on with the others', async () => {
    userServers({ a: stdioEntry('--label', 'A'), b: stdioEntry('--label', 'B') });
    const m = await open();
    await m.connect();
    const r = await m.call('mcp__a__crash', {});
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/^MCP server "a" stopped during the call \(.*\); its tools are unavailable for the rest of this session$/);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^MCP server "a" stopped \(the server exited; stderr: crashing on purpose\)/);
    expect(await m.call('mcp__a__echo', { text: 'x' })).toMatchObject({ isError: true, output: expect.stringContaining('is not available') });
    expect((await m.call('mcp__b__echo', { text: 'still here' })).output).toBe('B: still here');
    expect(m.tools().map((t) => t.server)).not.toContain('a');
  });

  it('trust: a project server starts only once approved, for this definition; revoking stops that', async () => {
    const pidFile = `${d.home}/pids`;
    projectServers({ proj: stdioEntry('--pid-file', pidFile) });
    let m = await open();
    await m.connect();
    await m.connect();
    expect(m.status()[0]).toMatchObject({ trust: 'unapproved', status: 'not-started' });
    expect(notices).toEqual(['MCP server "proj" from .mcp.json is not approved for this project; not started (run `baton mcp approve proj` to allow it)']);
    expect(pidsIn(pidFile)).toEqual([]);
    expect(m.pendingApproval().map((s) => s.name)).toEqual(['proj']);

    const server = loadMcpServers({ root: d.root, env: d.env }).servers[0]!;
    approveMcpServer(db, d.root, 'proj', server.hash);
    expect(mcpApprovals(db, d.root)).toEqual(new Map([['proj', server.hash]]));
    expect(mcpApprovals(db, '/other/project').size).toBe(0);
    m = await open();
    await m.connect();
    expect(m.status()[0]).toMatchObject({ trust: 'approved', status: 'connected' });
    expect(pidsIn(pidFile)).toHaveLength(1);

    // The definition changed (e.g. a pulled .mcp.json): approve again.
    projectServers({ proj: stdioEntry('--pid-file', pidFile, '--label', 'changed') });
    notices = [];
    m = await open();
    await m.connect();
    expect(m.status()[0]).toMatchObject({ trust: 'changed', status: 'not-started' });
    expect(notices[0]).toContain('changed since you approved it');

    expect(revokeMcpServer(db, d.root, 'proj')).toBe(true);
    expect(revokeMcpServer(db, d.root, 'proj')).toBe(false);
    expect(mcpApprovals(db, d.root).size).toBe(0);
  });

  it('an approval given in the session lets the server start on the next connect', async () => {
    projectServers({ proj: stdioEntry() });
    const m = await open();
    await m.connect();
    const [pending] = m.pendingApproval();
    approveMcpServer(db, d.root, pending!.name, pending!.hash);
    m.markApproved(pending!.name, pending!.hash);
    await m.connect();
    expect(m.status()[0]).toMatchObject({ trust: 'approved', status: 'connected' });
  });

  it('the user definition wins over a project one of the same name; bad entries are warnings', () => {
    userServers({ same: stdioEntry('--label', 'user') });
    projectServers({ same: stdioEntry('--label', 'project'), 'bad name!': { command: 'x' }, nocmd: { args: [] }, badurl: { type: 'http', url: 'not a url' } });
    const { servers, warnings } = loadMcpServers({ root: d.root, env: d.env });
    expect(servers.map((s) => [s.name, s.source])).toEqual([['same', 'user']]);
    const lines = warnings.map(formatWarning);
    expect(lines).toHaveLength(4);
    expect(lines).toContain('.mcp.json: mcpServers.bad name!: server names are letters, digits, - and _ (at most 32); skipped');
    expect(lines).toContain('.mcp.json: mcpServers.same: $BATON_HOME/mcp.json defines "same" too; the user\'s definition is used');
    expect(lines.some((l) => l.startsWith('.mcp.json: mcpServers.nocmd'))).toBe(true);
    expect(lines.some((l) => l.startsWith('.mcp.json: mcpServers.badurl.url'))).toBe(true);
  });

  it('works with the published reference server @modelcontextprotocol/server-filesystem', async () => {
    d.project('notes/hello.txt', 'hello from a file\n');
    userServers({ fs: { command: process.execPath, args: [FS_SERVER, d.root] } });
    const m = await open();
    await m.connect();
    expect(notices).toEqual([]);
    const names = m.tools().map((t) => t.name);
    expect(names).toContain('mcp__fs__read_text_file');
    expect(names).toContain('mcp__fs__list_directory');
    const read = await m.call('mcp__fs__read_text_file', { path: `${d.root}/notes/hello.txt` });
    expect(read).toMatchObject({ isError: false, output: 'hello from a file\n' });
    const outside = await m.call('mcp__fs__read_text_file', { path: '/etc/hostname' });
    expect(outside.isError).toBe(true);
    const pid = m.status()[0]!.pid!;
    expect(alive(pid)).toBe(true);
    await m.close();
    expect(await gone([pid])).toBe(true);
  });
});

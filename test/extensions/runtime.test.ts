/**
 * The process's MCP runtime (src/orchestrator/mcp.ts) against real server processes: the session's
 * approval prompt (once, always, deny), print mode's skip, notices routed to the run in progress.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PermissionAnswer } from '../../src/core/events.js';
import type { PermissionRequest } from '../../src/core/run.js';
import { McpRuntime } from '../../src/orchestrator/mcp.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { mcpApprovals } from '../../src/store/mcp-approvals.js';
import { makeDirs, type Dirs } from './helpers.js';
import { gone, pidsIn, stdioEntry } from './mcp-support.js';

let d: Dirs;
let db: Db;
const opened: McpRuntime[] = [];
beforeEach(() => {
  d = makeDirs();
  db = openDatabase(':memory:');
});
afterEach(async () => {
  for (const rt of opened.splice(0)) await rt.close();
  db.close();
  d.cleanup();
});

async function open(): Promise<McpRuntime> {
  const rt = await McpRuntime.open({ root: d.root, db, env: d.env, fallback: () => undefined });
  if (!rt) throw new Error('no runtime');
  opened.push(rt);
  return rt;
}

const hooks = (answer?: PermissionAnswer, asked: PermissionRequest[] = []) => ({
  emit: () => undefined,
  ...(answer
    ? {
        askPermission: async (req: PermissionRequest) => {
          asked.push(req);
          return answer;
        },
      }
    : {}),
});

describe('McpRuntime', () => {
  it('nothing configured: no runtime, and file problems go to the fallback', async () => {
    const lines: string[] = [];
    d.project('.mcp.json', '{ nope');
    expect(await McpRuntime.open({ root: d.root, db, env: d.env, fallback: (t) => lines.push(t) })).toBeUndefined();
    expect(lines).toEqual([expect.stringContaining('.mcp.json: not valid JSON')]);
  });

  it('session: an unapproved project server is put to the user once; "always" stores the approval and starts it', async () => {
    const pids = `${d.home}/pids`;
    d.project('.mcp.json', JSON.stringify({ mcpServers: { proj: stdioEntry('--pid-file', pids) } }));
    const rt = await open();
    const asked: PermissionRequest[] = [];
    const tools = await rt.ready(hooks('always', asked), 'r1');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ tool: 'mcp server', title: 'start MCP server "proj" from .mcp.json' });
    expect(tools.map((t) => t.name)).toContain('mcp__proj__echo');
    expect(mcpApprovals(db, d.root).has('proj')).toBe(true);
    // Asked once per process: the next run neither asks nor reconnects.
    await rt.ready(hooks('deny', asked), 'r2');
    expect(asked).toHaveLength(1);
    expect(pidsIn(pids)).toHaveLength(1);
    await rt.close();
    expect(await gone(pidsIn(pids))).toBe(true);
  });

  it('session: "once" starts it for this process only; "deny" leaves it stopped with a notice to the run', async () => {
    const pids = `${d.home}/pids`;
    d.project('.mcp.json', JSON.stringify({ mcpServers: { a: stdioEntry('--pid-file', pids), b: stdioEntry('--label', 'b') } }));
    const rt = await open();
    const notices: string[] = [];
    rt.attach((t) => notices.push(t));
    let n = 0;
    const tools = await rt.ready({ emit: () => undefined, askPermission: async () => (n++ === 0 ? 'once' : 'deny') }, 'r1');
    expect(tools.map((t) => t.name).filter((x) => x.endsWith('__echo'))).toEqual(['mcp__a__echo']);
    expect(mcpApprovals(db, d.root).size).toBe(0);
    expect(notices).toEqual([expect.stringContaining('MCP server "b" from .mcp.json is not approved for this project; not started')]);
  });

  it('print mode (no prompt): skipped with one notice, held until a run attaches', async () => {
    d.project('.mcp.json', JSON.stringify({ mcpServers: { proj: stdioEntry() } }));
    const rt = await open();
    expect(await rt.ready(hooks(), 'r1')).toEqual([]);
    expect(await rt.ready(hooks(), 'r2')).toEqual([]);
    const notices: string[] = [];
    rt.attach((t) => notices.push(t));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('baton mcp approve proj');
  });
});

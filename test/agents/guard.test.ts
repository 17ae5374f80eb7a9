import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatonEvent, PermissionAnswer } from '../../src/core/events.js';
import type { PermissionMode, PermissionRequest } from '../../src/core/run.js';
import { FileClaims } from '../../src/agents/budget.js';
import { Guard } from '../../src/agents/guard.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { listRules } from '../../src/tools/permissions.js';
import { toolsByName } from '../../src/tools/registry.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';

describe('Guard', () => {
  let repo: TempRepo;
  let db: Db;
  let events: BatonEvent[];
  let asked: PermissionRequest[];
  let checkpoints: number;
  beforeEach(() => {
    repo = makeTempRepo({ 'a.ts': 'export const a = 1;\n' });
    db = openDatabase(join(repo.home, 'baton.db'));
    events = [];
    asked = [];
    checkpoints = 0;
  });
  afterEach(() => {
    db.close();
    repo.cleanup();
  });

  const guard = (mode: PermissionMode, answer?: PermissionAnswer, fileClaims?: FileClaims) =>
    new Guard({
      db,
      project: repo.root,
      root: repo.root,
      runId: 'r1',
      hooks: {
        emit: (e) => events.push(e),
        askPermission: answer
          ? async (req) => {
              asked.push(req);
              return answer;
            }
          : undefined,
      },
      signal: new AbortController().signal,
      permissionMode: mode,
      beforeChange: async () => void checkpoints++,
      fileClaims,
    });
  const edit = { path: 'a.ts', old_string: 'a = 1', new_string: 'a = 2' };
  const call = (id: string, agentCallId = 'a1') => ({ agentCallId, toolCallId: id });

  it("asks with the tool's title and its diff preview, and stores an always answer as a rule", async () => {
    const res = await guard('ask', 'always').clear(toolsByName.edit_file!, edit, call('t1'));
    expect(res).toEqual({ cleared: true, how: 'always' });
    expect(asked).toEqual([
      {
        runId: 'r1',
        toolCallId: 't1',
        tool: 'edit_file',
        title: 'edit a.ts',
        preview: '--- a/a.ts\n+++ b/a.ts\n@@ -1,1 +1,1 @@\n-export const a = 1;\n+export const a = 2;',
        rule: 'edit_file',
      },
    ]);
    expect(events.find((e) => e.type === 'permission.needed')).toMatchObject({ title: 'edit a.ts', preview: asked[0]!.preview });
    expect(listRules(db, repo.root)).toEqual(['edit_file']);
    expect(checkpoints).toBe(1);
  });

  it('lets reads through without asking or a checkpoint; denies what it cannot ask about', async () => {
    expect(await guard('ask').clear(toolsByName.read_file!, { path: 'a.ts' }, call('t1'))).toEqual({ cleared: true, how: 'auto' });
    const denied = await guard('ask').clear(toolsByName.bash!, { command: 'npm test' }, call('t2'));
    expect(denied).toMatchObject({ cleared: false, summary: 'denied', permission: 'denied', message: expect.stringContaining('no terminal to ask') });
    expect(checkpoints).toBe(0);
  });

  it('takes the checkpoint before a change the mode allows, and keeps a second writer off a claimed file', async () => {
    const claims = new FileClaims();
    const g = guard('accept-edits', undefined, claims);
    expect(await g.clear(toolsByName.edit_file!, edit, call('t1', 'a1'))).toEqual({ cleared: true, how: 'accept-edits' });
    const second = await g.clear(toolsByName.write_file!, { path: 'a.ts', content: '' }, call('t2', 'a2'));
    expect(second).toEqual({ cleared: false, message: 'a.ts is being changed by another worker in this run; leave it to them and work on your own files' });
    expect(checkpoints).toBe(2);
  });
});

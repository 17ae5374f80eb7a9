/**
 * Each execution pattern end to end in print mode: the built binary, a real git repository, the
 * fake Messages API scripted per kind of call (decision, planner, worker, reviewer, analysis).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATON_BIN } from '../support/cli.js';
import { useE2e } from '../support/e2e.js';
import { planExecuteFixScript, withAnalysis } from '../support/scenarios.js';
import { textReply, toolReply, type ParsedRequest } from '../support/fake-api.js';
import { decision, isDecision, isRevision, isRole } from '../support/routes.js';

const e2e = useE2e({ files: { 'src/math.js': 'export const add = (a, b) => a - b;\n', 'notes.md': '# notes\n' } });
const env = () => e2e.env();
const baton = (args: string[]) => e2e.baton(args);
const query = <T>(sql: string, ...params: unknown[]): T[] => e2e.query<T>(sql, ...params);
const read = (p: string) => e2e.read(p);
const PARENT_SECRET = 'PARENT-CONVERSATION-MARKER';

describe('patterns', () => {
  it('plan-execute: planner steps stored, each step its own agent, in order', async () => {
    e2e.fake.setScript(planExecuteFixScript());
    const r = await baton(['-p', 'fix add and note it', '--permission-mode', 'bypass']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(read('src/math.js')).toContain('a + b');
    expect(read('notes.md')).toContain('add fixed');
    expect(query('SELECT idx, title, status, output FROM plan_steps ORDER BY idx')).toEqual([
      { idx: 1, title: 'fix add', status: 'completed', output: 'fixed add' },
      { idx: 2, title: 'note it', status: 'completed', output: 'noted' },
    ]);
    expect(query('SELECT label, role, status FROM agent_calls ORDER BY started_at, rowid')).toEqual([
      { label: 'plan', role: 'planner', status: 'completed' },
      { label: 'step#1', role: 'coder', status: 'completed' },
      { label: 'step#2', role: 'coder', status: 'completed' },
    ]);
    // Step 2's agent got step 1's outcome in its instructions, and nothing of the planner's conversation.
    const step2First = JSON.stringify((e2e.fake.journal.find((j) => j.kind === 'step2')!.body as { messages: unknown[] }).messages);
    expect(step2First).toContain('fixed add');
    expect(step2First).not.toContain('tool_use');
  });

  it('parallel: workers capped in concurrency, read-only, then one aggregation', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    e2e.fake.setScript(
      withAnalysis({
        decision: {
          when: isDecision,
          replies: [
            decision(
              'parallel',
              [1, 2, 3, 4].map((i) => ({ role: 'explorer' as const, instructions: `investigate area ${i}` })),
              { params: { concurrency: 2 } },
            ),
          ],
        },
        explorer: {
          when: isRole('explorer'),
          replies: (req: ParsedRequest) => {
            const area = /investigate area (\d)/.exec(JSON.stringify(req.messages[0]))![1];
            return req.messages.length === 1 ? toolReply('list_files', {}) : textReply(`area ${area}: fine`);
          },
        },
        aggregate: { when: isRole('summarizer'), replies: [textReply('All four areas are fine.')] },
      }),
    );
    // Measure concurrency from the journal: requests whose lifetimes overlap.
    const r = await baton(['-p', 'survey the repo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('All four areas are fine.');
    const explorers = e2e.fake.journal.filter((j) => j.kind === 'explorer');
    expect(explorers).toHaveLength(8);
    for (const a of explorers) {
      inFlight = explorers.filter((b) => b.startedAt < a.finishedAt! && a.startedAt < b.finishedAt!).length;
      maxInFlight = Math.max(maxInFlight, inFlight);
    }
    expect(maxInFlight).toBeLessThanOrEqual(2);
    const agg = JSON.stringify(e2e.fake.journal.find((j) => j.kind === 'aggregate')!.body);
    for (const i of [1, 2, 3, 4]) expect(agg).toContain(`area ${i}: fine`);
    // Explorers are offered read-only tools.
    const tools = (e2e.fake.journal.find((j) => j.kind === 'explorer')!.body as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(tools).not.toContain('edit_file');
    expect(tools).not.toContain('bash');
  });

  it('parallel: two writers never touch the same file', async () => {
    e2e.fake.setScript(
      withAnalysis({
        decision: {
          when: isDecision,
          replies: [
            decision(
              'parallel',
              [
                { role: 'coder', instructions: 'writer one' },
                { role: 'coder', instructions: 'writer two' },
              ],
              { params: { concurrency: 1 } },
            ),
          ],
        },
        coder: {
          when: isRole('coder'),
          replies: (req) =>
            req.messages.length === 1
              ? toolReply('write_file', { path: 'shared.txt', content: JSON.stringify(req.messages[0]).includes('one') ? 'one' : 'two' })
              : textReply('done'),
        },
        aggregate: { when: isRole('summarizer'), replies: [textReply('summary')] },
      }),
    );
    const r = await baton(['-p', 'write', '--permission-mode', 'bypass']);
    expect(r.code).toBe(0);
    expect(read('shared.txt')).toBe('one');
    const writes = query<{ status: string; output: string }>("SELECT status, output FROM tool_calls WHERE name = 'write_file' ORDER BY started_at");
    expect(writes[0]!.status).toBe('completed');
    expect(writes[1]!.status).toBe('denied');
    expect(writes[1]!.output).toContain('another worker');
  });

  it('review-loop: rejected, revised, fixed, approved; each verdict recorded', async () => {
    e2e.fake.setScript(
      withAnalysis({
        decision: {
          when: isDecision,
          replies: [
            decision('review-loop', [
              { role: 'coder', instructions: 'fix add' },
              { role: 'reviewer', instructions: 'check add' },
            ]),
          ],
        },
        revision: { when: isRevision, replies: [{ json: { action: 'continue', reasoning: 'one more round should do', confidence: 0.7 } }] },
        coder: {
          when: isRole('coder'),
          replies: [
            toolReply('edit_file', { path: 'src/math.js', old_string: 'a - b', new_string: 'a * b' }),
            textReply('changed add'),
            toolReply('edit_file', { path: 'src/math.js', old_string: 'a * b', new_string: 'a + b' }),
            textReply('now really fixed'),
          ],
        },
        reviewer: {
          when: isRole('reviewer'),
          replies: [
            toolReply('bash', { command: 'git diff' }),
            textReply('```json\n{"approved": false, "reasons": ["add multiplies instead of adding"]}\n```'),
            textReply('```json\n{"approved": true, "reasons": ["add is correct now"]}\n```'),
          ],
        },
      }),
    );
    const r = await baton(['-p', 'fix add', '--permission-mode', 'bypass']);
    expect(r.code).toBe(0);
    expect(read('src/math.js')).toContain('a + b');
    expect(r.stdout).toContain('Reviewer approved (round 2)');
    const calls = query<{ label: string; result: string }>('SELECT label, result FROM agent_calls ORDER BY started_at, rowid');
    expect(calls.map((c) => c.label)).toEqual(['coder#1', 'review#1', 'coder#2', 'review#2']);
    expect(calls[1]!.result).toContain('add multiplies instead of adding');
    // The second coder was told why the first attempt was rejected.
    const coder2 = JSON.stringify(e2e.fake.journal.filter((j) => j.kind === 'coder')[2]!.body);
    expect(coder2).toContain('add multiplies instead of adding');
    // The revision saw only the delta since the decision.
    const rev = JSON.stringify(e2e.fake.journal.find((j) => j.kind === 'revision')!.body);
    expect(rev).toContain('review round 1: rejected');
    expect(query('SELECT kind FROM decisions ORDER BY seq')).toEqual([{ kind: 'initial' }, { kind: 'revision' }]);
  });

  it('clarify: asks, waits (exit 3, JSON), is answered by another process, re-decides and finishes', async () => {
    e2e.fake.setScript(
      withAnalysis({
        decision: {
          when: isDecision,
          replies: [
            decision('clarify', [{ role: 'coder', instructions: 'Which file?' }], {
              params: { question: 'Which file should I document?', options: ['math.js', 'notes.md'] },
            }),
          ],
        },
        revision: {
          when: isRevision,
          replies: [
            {
              json: {
                action: 'change',
                pattern: 'direct',
                reasoning: 'the user chose math.js',
                confidence: 0.9,
                agents: [{ role: 'coder', instructions: 'add a comment to src/math.js' }],
              },
            },
          ],
        },
        coder: {
          when: isRole('coder'),
          replies: [toolReply('edit_file', { path: 'src/math.js', old_string: 'export', new_string: '// adds\nexport' }), textReply('documented math.js')],
        },
      }),
    );
    const first = await baton(['-p', 'document it', '--output-format', 'json', '--permission-mode', 'bypass']);
    expect(first.code).toBe(3);
    const waiting = JSON.parse(first.stdout) as { status: string; run_id: string; question: string; options: string[] };
    expect(waiting).toMatchObject({ status: 'waiting_user', question: 'Which file should I document?', options: ['math.js', 'notes.md'] });
    expect(query('SELECT status FROM runs')).toEqual([{ status: 'waiting_user' }]);
    expect(query('SELECT question, answer FROM questions')).toEqual([{ question: 'Which file should I document?', answer: null }]);

    const status = await baton(['status', waiting.run_id.slice(0, 12)]);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('Which file should I document?');

    const second = await baton(['answer', waiting.run_id, 'math.js']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('documented math.js');
    expect(read('src/math.js')).toContain('// adds');
    expect(query('SELECT status, pattern FROM runs')).toEqual([{ status: 'completed', pattern: 'clarify' }]);
    expect(query('SELECT answer FROM questions')).toEqual([{ answer: 'math.js' }]);
    expect(query('SELECT kind, pattern FROM decisions ORDER BY seq')).toEqual([
      { kind: 'initial', pattern: 'clarify' },
      { kind: 'revision', pattern: 'direct' },
    ]);
    // The decision was not made twice: the second process replayed it.
    expect(e2e.fake.journal.filter((j) => j.kind === 'decision')).toHaveLength(1);
  });

  it('an agent asking the user mid-run: waiting run answered later, the agent continues its conversation', async () => {
    e2e.fake.setScript(
      withAnalysis({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'rename the function' }])] },
        coder: {
          when: isRole('coder'),
          replies: [
            toolReply('ask_user', { question: 'New name?', options: ['sum', 'plus'] }),
            toolReply('edit_file', { path: 'src/math.js', old_string: 'add', new_string: 'sum' }),
            textReply('renamed to sum'),
          ],
        },
      }),
    );
    const first = await baton(['-p', 'rename add', '--permission-mode', 'bypass']);
    expect(first.code).toBe(3);
    expect(first.stdout).toContain('New name?');
    const runId = query<{ id: string }>('SELECT id FROM runs')[0]!.id;
    const second = await baton(['answer', runId, 'sum']);
    expect(second.code).toBe(0);
    expect(read('src/math.js')).toContain('export const sum');
    const afterAnswer = JSON.stringify(e2e.fake.journal.filter((j) => j.kind === 'coder')[1]!.body);
    expect(afterAnswer).toContain('The user answered: sum');
    expect(query('SELECT COUNT(*) AS n FROM agent_calls')).toEqual([{ n: 1 }]);
  });

  it('an invalid decision falls back to direct after one repair, with the cause recorded', async () => {
    e2e.fake.setScript(
      withAnalysis({
        decision: { when: isDecision, replies: [{ json: { pattern: 'teleport' } }, { text: 'not json at all' }] },
        coder: { when: isRole('coder'), replies: [textReply('answered directly')] },
      }),
    );
    const r = await baton(['-p', 'hello']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('answered directly');
    const [d] = query<{ kind: string; pattern: string; fallback_cause: string }>('SELECT kind, pattern, fallback_cause FROM decisions');
    expect(d).toMatchObject({ kind: 'fallback', pattern: 'direct' });
    expect(d!.fallback_cause).toBeTruthy();
    expect(e2e.fake.journal.filter((j) => j.kind === 'decision')).toHaveLength(2);
  });

  it('sub-agents start clean: they never receive the parent conversation', async () => {
    e2e.fake.setScript(
      withAnalysis({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'explorer', instructions: 'answer from the repo' }])] },
        explorer: { when: isRole('explorer'), replies: [textReply(`earlier answer ${PARENT_SECRET}`)] },
      }),
    );
    expect((await baton(['-p', 'first question'])).code).toBe(0);
    e2e.fake.setScript(
      withAnalysis({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'explorer', instructions: 'look at notes.md' }])] },
        explorer: { when: isRole('explorer'), replies: [textReply('ok')] },
      }),
    );
    expect((await baton(['-c', '-p', 'follow-up'])).code).toBe(0);
    const decisionBody = JSON.stringify(e2e.fake.journal.filter((j) => j.kind === 'decision').at(-1)!.body);
    expect(decisionBody).toContain(PARENT_SECRET); // the orchestrator sees the thread…
    const agentBody = JSON.stringify(e2e.fake.journal.filter((j) => j.kind === 'explorer').at(-1)!.body);
    expect(agentBody).not.toContain(PARENT_SECRET); // …the sub-agent only its instructions
    expect(agentBody).not.toContain('first question');
    expect(agentBody).toContain('look at notes.md');
  });

  it('a process killed in the middle of plan-execute resumes at the first unfinished step', async () => {
    let step2Calls = 0;
    const script = withAnalysis({
      decision: {
        when: isDecision,
        replies: [
          decision('plan-execute', [
            { role: 'planner', instructions: 'plan' },
            { role: 'coder', instructions: 'do' },
          ]),
        ],
      },
      planner: {
        when: isRole('planner'),
        replies: [textReply('```json\n{"steps":[{"title":"one","instructions":"create one.txt"},{"title":"two","instructions":"create two.txt"}]}\n```')],
      },
      step1: {
        when: (r) => isRole('coder')(r) && JSON.stringify(r.messages[0]).includes('(1/2)'),
        replies: [toolReply('write_file', { path: 'one.txt', content: '1' }), textReply('one done')],
      },
      step2: {
        when: (r) => isRole('coder')(r) && JSON.stringify(r.messages[0]).includes('(2/2)'),
        replies: () =>
          ++step2Calls === 1 ? { fault: 'hang' } : step2Calls === 2 ? toolReply('write_file', { path: 'two.txt', content: '2' }) : textReply('two done'),
      },
    });
    e2e.fake.setScript(script);
    const child = spawn(process.execPath, [BATON_BIN, '-p', 'make files', '--permission-mode', 'bypass'], {
      cwd: e2e.repo.root,
      env: { ...process.env, ...env(), BATON_HOME: e2e.repo.home },
      stdio: 'ignore',
    });
    // Wait until step 2's request hangs, then kill -9 the process.
    for (let i = 0; i < 200 && step2Calls === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(step2Calls).toBe(1);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(existsSync(join(e2e.repo.root, 'one.txt'))).toBe(true);

    const status = await baton(['status', query<{ id: string }>('SELECT id FROM runs')[0]!.id]);
    expect(status.stdout).toContain('interrupted');
    const runId = query<{ id: string }>('SELECT id FROM runs')[0]!.id;
    const resumed = await baton(['resume', runId]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(read('two.txt')).toBe('2');
    expect(query('SELECT idx, status FROM plan_steps ORDER BY idx')).toEqual([
      { idx: 1, status: 'completed' },
      { idx: 2, status: 'completed' },
    ]);
    // Step 1 and the plan were not redone.
    expect(e2e.fake.journal.filter((j) => j.kind === 'planner')).toHaveLength(1);
    expect(e2e.fake.journal.filter((j) => j.kind === 'step1')).toHaveLength(2);
    expect(query('SELECT status FROM runs')).toEqual([{ status: 'completed' }]);
  });
});

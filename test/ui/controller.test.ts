/**
 * The session controller driving the real engine and store against the fake Messages API: what
 * the interactive UI does, without a terminal.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createController } from '../../src/cli/interactive.js';
import type { SessionController } from '../../src/cli/ui/controller.js';
import type { Item } from '../../src/cli/ui/state.js';
import { DEFAULT_MODEL, DEFAULT_ORCHESTRATOR_MODEL } from '../../src/core/models.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { routeBy, startFakeApi, textReply, toolReply, type FakeApi, type FakeReply } from '../support/fake-api.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { analysis, decision, isAnalysis, isCompaction, isDecision, isRole } from '../support/routes.js';
import { waitFor } from './support.js';

let fake: FakeApi;
let repo: TempRepo;
let db: Db;
const controllers: SessionController[] = [];

beforeEach(async () => {
  fake = await startFakeApi();
  repo = makeTempRepo({ 'src/greet.js': 'export const greet = () => "hello";\n' });
  vi.stubEnv('ANTHROPIC_API_KEY', 'test-key');
  vi.stubEnv('ANTHROPIC_BASE_URL', fake.url);
  vi.stubEnv('BATON_RETRY_BASE_MS', '5');
  vi.stubEnv('BATON_HOME', repo.home);
  db = openDatabase(join(repo.home, 'baton.db'));
});

afterEach(async () => {
  // Leaving waits for runs and analyses, so nothing writes to a closed database.
  for (const c of controllers.splice(0)) {
    c.exit();
    await c.exited.catch(() => undefined);
  }
  db.close();
  await fake.close();
  repo.cleanup();
  vi.unstubAllEnvs();
});

async function session(thread?: string | 'latest' | 'pick', permissionMode: 'ask' | 'bypass' = 'ask') {
  const c = createController({ db, project: repo.root, options: { model: DEFAULT_MODEL, orchestratorModel: DEFAULT_ORCHESTRATOR_MODEL, permissionMode } });
  controllers.push(c);
  await c.start(thread);
  return c;
}

/** Every run: a direct coder whose turns are `turns` (in order, across runs); analyses succeed. */
function script(turns: FakeReply[]) {
  fake.setScript(
    routeBy({
      decision: { when: isDecision, replies: () => decision('direct', [{ role: 'coder', instructions: 'Do what the user asked' }]) },
      coder: { when: isRole('coder'), replies: turns },
      analysis: { when: isAnalysis, replies: () => analysis('success') },
    }),
  );
}

const items = (c: SessionController) => c.state().items;
const ofKind = <K extends Item['kind']>(c: SessionController, kind: K) => items(c).filter((i): i is Extract<Item, { kind: K }> => i.kind === kind);
const lastOutput = (c: SessionController) => ofKind(c, 'output').at(-1)?.text ?? '';
const runRow = (id: string) => db.prepare('SELECT status, prompt FROM runs WHERE id = ?').get(id) as { status: string; prompt: string };

describe('SessionController with the engine', () => {
  it('runs two prompts in one thread; the second request carries the first', async () => {
    script([textReply('greet returns "hello".'), textReply('Added a test for greet.')]);
    const c = await session();
    await c.submit('what does greet return?');
    expect(ofKind(c, 'text').map((i) => i.text)).toEqual(['greet returns "hello".']);
    expect(ofKind(c, 'header')[0]).toMatchObject({ pattern: 'direct' });
    expect(ofKind(c, 'run-end')[0]).toMatchObject({ status: 'completed' });

    await c.submit('now add a test for it');
    const secondDecision = fake.journal.filter((j) => j.kind === 'decision')[1]!;
    expect(JSON.stringify(secondDecision.body)).toContain('what does greet return?');
    expect(c.state().runs.map((r) => r.status)).toEqual(['completed', 'completed']);
    expect(c.state().usage.outputTokens).toBeGreaterThan(0);
    expect(c.state().costUsd).toBeGreaterThan(0);
    expect(c.state().phase).toBe('idle');
  });

  it('asks before an edit and applies it once allowed; "always" stores the rule', async () => {
    script([
      toolReply('edit_file', { path: 'src/greet.js', old_string: '"hello"', new_string: '"hi"' }),
      textReply('Changed it.'),
      toolReply('write_file', { path: 'NOTES.md', content: 'notes\n' }),
      textReply('Wrote notes.'),
    ]);
    const c = await session();
    const first = c.submit('make greet say hi');
    await waitFor(() => expect(c.state().ask).toMatchObject({ kind: 'permission', req: { tool: 'edit_file' } }));
    c.answerPermission('once');
    await first;
    expect(readFileSync(join(repo.root, 'src/greet.js'), 'utf8')).toContain('"hi"');
    expect(ofKind(c, 'tool')[0]).toMatchObject({ name: 'edit_file', detail: 'src/greet.js', isError: false });

    const second = c.submit('write notes');
    await waitFor(() => expect(c.state().ask?.kind).toBe('permission'));
    const rule = c.state().ask?.kind === 'permission' ? (c.state().ask as { req: { rule: string } }).req.rule : '';
    c.answerPermission('always');
    await second;
    expect(db.prepare('SELECT rule FROM permission_rules WHERE project = ?').all(repo.root)).toEqual([{ rule }]);
    expect(ofKind(c, 'notice').some((n) => n.text.includes('always allowed'))).toBe(true);
  });

  it('a denied edit goes back to the model and leaves the file alone', async () => {
    script([toolReply('edit_file', { path: 'src/greet.js', old_string: '"hello"', new_string: '"bye"' }), textReply('Understood, not changing it.')]);
    const c = await session();
    const run = c.submit('make greet say bye');
    await waitFor(() => expect(c.state().ask?.kind).toBe('permission'));
    c.answerPermission('deny');
    await run;
    expect(readFileSync(join(repo.root, 'src/greet.js'), 'utf8')).toContain('"hello"');
    expect(db.prepare('SELECT name, status FROM tool_calls').all()).toEqual([{ name: 'edit_file', status: 'denied' }]);
    // the model was told, as an error result of its tool call
    const coderCalls = fake.journal.filter((j) => j.kind === 'coder');
    expect(JSON.stringify(coderCalls[1]!.body)).toContain('"is_error":true');
  });

  it('cancels a run: recorded cancelled, back to the prompt, the session still works', async () => {
    script([{ fault: 'hang' }, textReply('second run fine')]);
    const c = await session();
    const run = c.submit('take forever');
    // the model is being asked (and will never answer)
    await waitFor(() => expect(fake.journal.some((j) => j.kind === 'coder')).toBe(true));
    expect(c.state().live?.agents).toHaveLength(1);
    expect(c.interrupt(true)).toBe('cancel');
    await run;
    const runId = c.state().runs[0]!.runId;
    expect(runRow(runId).status).toBe('cancelled');
    expect(ofKind(c, 'run-end')[0]).toMatchObject({ status: 'cancelled' });
    expect(c.state().phase).toBe('idle');
    await c.submit('again');
    expect(c.state().runs.map((r) => r.status)).toEqual(['cancelled', 'completed']);
  });

  it('cancelling a run kills the command it is running', async () => {
    script([toolReply('bash', { command: 'sleep 30 && echo never > late.txt' }), textReply('unreachable')]);
    const c = await session(undefined, 'bypass');
    const run = c.submit('wait a while');
    await waitFor(() => expect(c.state().live?.agents[0]?.activity).toBe('running bash'));
    c.escape();
    await run;
    expect(runRow(c.state().runs[0]!.runId).status).toBe('cancelled');
    expect(db.prepare('SELECT status FROM tool_calls').get()).toEqual({ status: 'cancelled' });
    expect(existsSync(join(repo.root, 'late.txt'))).toBe(false);
  });

  it('an API that stays down fails the run in one line and the session goes on', async () => {
    vi.stubEnv('BATON_MAX_ATTEMPTS', '2');
    fake.setScript(
      routeBy({
        decision: { when: isDecision, replies: () => decision('direct', [{ role: 'coder', instructions: 'x' }]) },
        coder: { when: isRole('coder'), replies: [{ fault: 'http', status: 529 }, { fault: 'http', status: 529 }, textReply('back up')] },
        analysis: { when: isAnalysis, replies: () => analysis('failure') },
      }),
    );
    const c = await session();
    await c.submit('try');
    expect(ofKind(c, 'notice').some((n) => n.level === 'warn' && /retrying in/.test(n.text))).toBe(true);
    const end = ofKind(c, 'run-end')[0]!;
    expect(end.status).toBe('failed');
    expect(end.error).not.toContain('\n');
    await c.submit('try again');
    expect(ofKind(c, 'run-end')[1]).toMatchObject({ status: 'completed' });
  });

  it('shows a question, and the answer resumes the run', async () => {
    script([toolReply('ask_user', { question: 'Which greeting?', options: ['hi', 'hey'] }), textReply('Using hey.')]);
    const c = await session();
    await c.submit('change the greeting');
    const ask = c.state().ask;
    expect(ask).toMatchObject({ kind: 'question', req: { question: 'Which greeting?', options: ['hi', 'hey'] } });
    const runId = c.state().runs[0]!.runId;
    expect(runRow(runId).status).toBe('waiting_user');
    c.answerQuestion('hey');
    await waitFor(() => expect(runRow(runId).status).toBe('completed'));
    await waitFor(() => expect(c.state().phase).toBe('idle'));
    expect(ofKind(c, 'qa')[0]).toMatchObject({ question: 'Which greeting?', answer: 'hey' });
    expect(ofKind(c, 'text').at(-1)?.text).toBe('Using hey.');
    const last = fake.journal.filter((j) => j.kind === 'coder').at(-1)!;
    expect(JSON.stringify(last.body)).toContain('hey');
  });

  it('offers a run an earlier session left waiting when the thread is continued', async () => {
    script([toolReply('ask_user', { question: 'Proceed?' }), textReply('Proceeded.')]);
    const first = await session();
    await first.submit('do the risky thing');
    expect(first.state().ask?.kind).toBe('question');
    first.exit();
    await first.exited;

    const again = await session('latest');
    expect(again.state().threadId).toBe(first.state().threadId);
    expect(again.state().ask).toMatchObject({ kind: 'question', req: { question: 'Proceed?' } });
    expect(ofKind(again, 'user').map((u) => u.text)).toContain('do the risky thing');
    again.answerQuestion('yes');
    await waitFor(() => expect(ofKind(again, 'run-end').at(-1)).toMatchObject({ status: 'completed' }));
  });

  it('says in one line that the key is missing, and stays usable', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    script([textReply('works now')]);
    const c = await session();
    await c.submit('hello');
    expect(ofKind(c, 'notice').at(-1)).toMatchObject({ level: 'error', text: expect.stringContaining('ANTHROPIC_API_KEY is not set') });
    expect(c.state().phase).toBe('idle');
    vi.stubEnv('ANTHROPIC_API_KEY', 'test-key');
    await c.submit('hello again');
    expect(ofKind(c, 'run-end').at(-1)).toMatchObject({ status: 'completed' });
  });

  it('cycles the permission mode for the next runs', async () => {
    script([toolReply('write_file', { path: 'x.txt', content: 'x\n' }), textReply('wrote x')]);
    const c = await session();
    expect(c.cycleMode()).toBe('accept-edits');
    await c.submit('write x');
    expect(c.session()?.options.permissionMode).toBe('accept-edits');
    // accept-edits: the write ran without asking
    expect(readFileSync(join(repo.root, 'x.txt'), 'utf8')).toBe('x\n');
    expect(['bypass', 'read-only', 'ask']).toEqual([c.cycleMode(), c.cycleMode(), c.cycleMode()]);
  });

  it('-r without an id offers the project’s threads and continues the one picked', async () => {
    script([textReply('one'), textReply('two'), textReply('three')]);
    const first = await session();
    await first.submit('first thread prompt');
    const second = await session();
    await second.submit('second thread prompt');

    const picking = await session('pick');
    expect(picking.state().phase).toBe('picking');
    expect(picking.state().threads?.map((t) => t.id)).toEqual([second.state().threadId, first.state().threadId]);
    await picking.pick(first.state().threadId);
    expect(picking.state().threadId).toBe(first.state().threadId);
    expect(ofKind(picking, 'user').map((u) => u.text)).toEqual(['first thread prompt']);
    await picking.submit('more');
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs WHERE thread_id = ?').get(first.state().threadId)).toEqual({ n: 2 });
  });

  it('creates no thread until the first prompt', async () => {
    const c = await session();
    await c.submit('/cost');
    expect(db.prepare('SELECT COUNT(*) AS n FROM threads').get()).toEqual({ n: 0 });
  });

  it('ends with the error when the thread to resume does not exist', async () => {
    const c = await session('t_nope');
    await expect(c.exited).rejects.toThrow(/t_nope/);
  });

  it('exits on a second Ctrl-C at an empty prompt, not on one', async () => {
    const c = await session();
    expect(c.interrupt(false)).toBe('clear');
    expect(c.interrupt(true, 1_000)).toBe('hint');
    expect(c.state().hint).toBe('press Ctrl-C again to exit');
    expect(c.interrupt(true, 5_000)).toBe('hint');
    expect(c.interrupt(true, 5_500)).toBe('exit');
    await expect(c.exited).resolves.toBe(0);
  });
});

describe('slash commands', () => {
  it('/cost, /model, /feedback and /why work on the last run', async () => {
    script([textReply('done')]);
    const c = await session();
    await c.submit('do it');
    const runId = c.state().lastRunId!;

    await c.submit('/cost');
    const cost = ofKind(c, 'output').at(-1)!.text;
    expect(cost).toContain(runId);
    expect(cost).toContain('direct · completed');
    expect(cost).toMatch(/session: .* in .* out · \$/);

    await c.submit('/model claude-opus-5');
    expect(c.state().model).toBe('claude-opus-5');
    expect(c.session()?.options.model).toBe('claude-opus-5');

    await c.submit('/feedback good nice and short');
    expect(db.prepare('SELECT verdict, note FROM feedback WHERE run_id = ?').get(runId)).toEqual({ verdict: 'good', note: 'nice and short' });

    await c.submit('/why');
    expect(lastOutput(c)).toContain('chose direct for this test'); // the decision's full reasoning

    await c.submit('/history');
    expect(lastOutput(c)).toContain('do it');
    await c.submit('/stats');
    expect(lastOutput(c)).toContain('direct');
  });

  it('/undo puts back the files the last run changed', async () => {
    script([toolReply('write_file', { path: 'src/greet.js', content: 'export const greet = () => "yo";\n' }), textReply('Rewrote it.')]);
    const c = await session(undefined, 'bypass');
    await c.submit('rewrite greet');
    expect(readFileSync(join(repo.root, 'src/greet.js'), 'utf8')).toContain('"yo"');
    await c.submit('/undo');
    expect(lastOutput(c)).toContain('src/greet.js');
    expect(readFileSync(join(repo.root, 'src/greet.js'), 'utf8')).toContain('"hello"');
  });

  it('/compact folds the older turns of the thread into its summary', async () => {
    fake.setScript(
      routeBy({
        decision: { when: isDecision, replies: () => decision('direct', [{ role: 'coder', instructions: 'Answer' }]) },
        coder: { when: isRole('coder'), replies: (_r, i) => textReply(`answer ${i} `.repeat(20)) },
        compaction: { when: isCompaction, replies: [textReply('They asked five questions about greet.')] },
        analysis: { when: isAnalysis, replies: () => analysis('success') },
      }),
    );
    const c = await session();
    for (let i = 0; i < 5; i++) await c.submit(`question ${i}`);
    await c.submit('/compact');
    expect(lastOutput(c)).toMatch(/^thread compacted: \d+ → \d+ characters of context$/);
    const thread = db.prepare('SELECT summary FROM threads WHERE id = ?').get(c.state().threadId) as { summary: string };
    expect(thread.summary).toBe('They asked five questions about greet.');
  });

  it('/clear starts a new thread, /help lists the commands, unknown ones are named', async () => {
    script([textReply('one'), textReply('two')]);
    const c = await session();
    await c.submit('in the first thread');
    const before = c.state().threadId;
    await c.submit('/clear');
    expect(c.state().clears).toBe(1);
    expect(c.state().items).toEqual([]);
    await c.submit('in the second thread');
    expect(c.state().threadId).toBeDefined();
    expect(c.state().threadId).not.toBe(before);
    await c.submit('/help');
    expect(ofKind(c, 'output').at(-1)!.text).toContain('/compact');
    await c.submit('/nope');
    expect(ofKind(c, 'notice').at(-1)!.text).toBe('unknown command /nope; /help lists them');
    await c.submit('/feedback meh');
    expect(ofKind(c, 'notice').at(-1)!.text).toBe('usage: /feedback good|bad [note]');
  });

  it('/exit ends the session', async () => {
    const c = await session();
    await c.submit('/exit');
    await expect(c.exited).resolves.toBe(0);
  });
});

describe('SessionController: type-ahead', () => {
  it('queues prompts sent during a run and runs them in order, as follow-ups in the same thread', async () => {
    script([
      toolReply('edit_file', { path: 'src/greet.js', old_string: '"hello"', new_string: '"hi"' }),
      textReply('Changed it.'),
      textReply('Added a test.'),
      textReply('Documented it.'),
    ]);
    const c = await session();
    const first = c.submit('make greet say hi');
    await waitFor(() => expect(c.state().ask?.kind).toBe('permission'), 15_000);
    expect(c.trySubmit('then add a test')).toBe(true);
    expect(c.trySubmit('and document it')).toBe(true);
    expect(c.state().queue).toEqual(['then add a test', 'and document it']);
    expect(c.state().runs).toHaveLength(1);
    c.answerPermission('once');
    await first;
    await waitFor(
      () =>
        expect(c.state().runs.map((r) => [r.prompt, r.status])).toEqual([
          ['make greet say hi', 'completed'],
          ['then add a test', 'completed'],
          ['and document it', 'completed'],
        ]),
      15_000,
    );
    await waitFor(() => expect(c.state().phase).toBe('idle'));
    expect(c.state().queue).toEqual([]);
    expect(ofKind(c, 'user').map((u) => u.text)).toEqual(['make greet say hi', 'then add a test', 'and document it']);
    expect(db.prepare('SELECT COUNT(DISTINCT thread_id) AS n FROM runs').get()).toEqual({ n: 1 });
    // the follow-up's decision saw the earlier exchange
    const third = fake.journal.filter((j) => j.kind === 'decision')[2]!;
    expect(JSON.stringify(third.body)).toContain('then add a test');
  });

  it('Esc cancels the run and hands the queued prompts back to the editor instead of running them', async () => {
    script([{ fault: 'hang' }, textReply('never used')]);
    const c = await session();
    const run = c.submit('take forever');
    await waitFor(() => expect(fake.journal.some((j) => j.kind === 'coder')).toBe(true));
    c.trySubmit('next one');
    c.trySubmit('and another');
    c.escape();
    await run;
    expect(c.state().queue).toEqual([]);
    expect(c.state().recall).toEqual({ text: 'next one\nand another', seq: 1 });
    await new Promise((r) => setTimeout(r, 100));
    expect(c.state().runs.map((r) => r.status)).toEqual(['cancelled']);
    expect(c.state().phase).toBe('idle');
  });

  it('↑ takes the last queued prompt back for editing', async () => {
    script([{ fault: 'hang' }]);
    const c = await session();
    const run = c.submit('take forever');
    await waitFor(() => expect(fake.journal.some((j) => j.kind === 'coder')).toBe(true));
    c.trySubmit('one');
    c.trySubmit('two');
    expect(c.takeLastQueued()).toBe('two');
    expect(c.state().queue).toEqual(['one']);
    c.escape();
    await run;
  });

  it('Ctrl-C cancels the run, drops the queue, and a second Ctrl-C exits', async () => {
    script([{ fault: 'hang' }]);
    const c = await session();
    const run = c.submit('take forever');
    await waitFor(() => expect(fake.journal.some((j) => j.kind === 'coder')).toBe(true));
    c.trySubmit('queued');
    expect(c.interrupt(true)).toBe('cancel');
    expect(c.state().queue).toEqual([]);
    expect(ofKind(c, 'notice').some((n) => n.text.includes('1 queued prompt dropped'))).toBe(true);
    await run;
    expect(c.interrupt(true)).toBe('exit');
    await expect(c.exited).resolves.toBe(0);
  });
});

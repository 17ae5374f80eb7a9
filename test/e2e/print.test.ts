/**
 * End to end: the built `baton -p` in a real git repository against the fake Messages API.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATON_BIN } from '../support/cli.js';
import { useE2e } from '../support/e2e.js';
import { routeBy, textReply, toolReply, type FakeReply } from '../support/fake-api.js';
import { makeTempRepo } from '../support/repo.js';
import { analysis, decision, isAnalysis, isDecision, isRole } from '../support/routes.js';

const e2e = useE2e({ files: { 'src/greet.js': 'export const greet = () => "hello";\n', 'package.json': '{"name":"demo"}\n' } });
const env = () => e2e.env();
const baton = (args: string[], extra: Record<string, string | undefined> = {}) => e2e.baton(args, { env: extra });
const openDb = () => e2e.openDb();

/** Decision → direct coder whose turns are the given replies; analysis answered too. */
function directScript(coderTurns: FakeReply[]) {
  return routeBy({
    decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'Change greet to say hi and check it' }])] },
    coder: { when: isRole('coder'), replies: coderTurns },
    analysis: { when: isAnalysis, replies: [analysis('success', ['Run node to check small JS edits.'])] },
  });
}

describe('baton -p', () => {
  it('lists, reads, edits, runs a command, answers: file, stdout, exit code and rows', async () => {
    e2e.fake.setScript(
      directScript([
        toolReply('list_files', {}),
        toolReply('read_file', { path: 'src/greet.js' }),
        toolReply('edit_file', { path: 'src/greet.js', old_string: '"hello"', new_string: '"hi"' }),
        toolReply('bash', { command: 'node -e "import(\'./src/greet.js\').then(m => console.log(m.greet()))"' }),
        textReply('Done: greet now says hi.'),
      ]),
    );
    const r = await baton(['-p', 'make greet say hi', '--permission-mode', 'bypass', '--wait-analysis'], { BATON_ANALYSIS: undefined });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Done: greet now says hi.');
    expect(readFileSync(join(e2e.repo.root, 'src/greet.js'), 'utf8')).toBe('export const greet = () => "hi";\n');

    // The model saw each tool's result: the listing, the file with line numbers, the command's output.
    const coderCalls = e2e.fake.journal.filter((j) => j.kind === 'coder');
    expect(coderCalls).toHaveLength(5);
    const lastBody = JSON.stringify(coderCalls[4]!.body);
    expect(lastBody).toContain('greet.js');
    expect(lastBody).toContain('hi\\n');

    const db = openDb();
    const run = db.prepare('SELECT * FROM runs').get() as Record<string, unknown>;
    expect(run).toMatchObject({ status: 'completed', pattern: 'direct', prompt: 'make greet say hi' });
    expect(run.cost_usd as number).toBeGreaterThan(0);
    const tools = db.prepare('SELECT name, status, is_error FROM tool_calls ORDER BY started_at').all();
    expect(tools).toEqual([
      { name: 'list_files', status: 'completed', is_error: 0 },
      { name: 'read_file', status: 'completed', is_error: 0 },
      { name: 'edit_file', status: 'completed', is_error: 0 },
      { name: 'bash', status: 'completed', is_error: 0 },
    ]);
    expect(db.prepare('SELECT role, status, turns FROM agent_calls').all()).toEqual([{ role: 'coder', status: 'completed', turns: 5 }]);
    expect(db.prepare('SELECT kind, pattern FROM decisions').all()).toEqual([{ kind: 'initial', pattern: 'direct' }]);
    expect(db.prepare('SELECT role, content FROM messages ORDER BY id').all()).toEqual([
      { role: 'user', content: 'make greet say hi' },
      { role: 'assistant', content: 'Done: greet now says hi.' },
    ]);
    expect(db.prepare('SELECT outcome FROM analyses').get()).toEqual({ outcome: 'success' });
    expect(db.prepare('SELECT text FROM lessons').all()).toEqual([{ text: 'Run node to check small JS edits.' }]);
    db.close();
  });

  it('--output-format json prints one object with status, result, ids, usage and cost', async () => {
    e2e.fake.setScript(directScript([textReply('42')]));
    const r = await baton(['-p', 'what is the answer', '--output-format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ status: 'completed', result: '42', pattern: 'direct' });
    expect(out.run_id).toMatch(/^r_/);
    expect(out.thread_id).toMatch(/^t_/);
    const usage = out.usage as { inputTokens: number; cacheWriteTokens: number; outputTokens: number };
    expect(usage.inputTokens + usage.cacheWriteTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(0);
    expect(out.cost_usd).toBeGreaterThan(0);
  });

  it('--output-format stream-json prints the events as JSON lines', async () => {
    e2e.fake.setScript(directScript([toolReply('read_file', { path: 'package.json' }), textReply('demo')]));
    const r = await baton(['-p', 'name?', '--output-format', 'stream-json']);
    expect(r.code).toBe(0);
    const types = r.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types[0]).toBe('run.started');
    expect(types).toContain('decision.made');
    expect(types).toContain('agent.started');
    expect(types).toContain('text.delta');
    expect(types).toContain('tool.requested');
    expect(types).toContain('tool.finished');
    expect(types.at(-1)).toBe('run.finished');
  });

  it('a follow-up with -c carries the thread: the decision sees the previous turn', async () => {
    e2e.fake.setScript(directScript([textReply('The function is greet.')]));
    expect((await baton(['-p', 'which function is in greet.js?'])).code).toBe(0);
    e2e.fake.setScript(directScript([textReply('ok')]));
    expect((await baton(['-c', '-p', 'now rename it'])).code).toBe(0);
    const decisionBody = JSON.stringify(e2e.fake.journal.filter((j) => j.kind === 'decision').at(-1)!.body);
    expect(decisionBody).toContain('which function is in greet.js?');
    expect(decisionBody).toContain('The function is greet.');
    const db = openDb();
    expect(db.prepare('SELECT COUNT(DISTINCT thread_id) AS n FROM runs').get()).toEqual({ n: 1 });
    db.close();
  });

  it('without ANTHROPIC_API_KEY: exit 2 and one line saying how to set it, nothing recorded', async () => {
    const r = await baton(['-p', 'hi'], { ANTHROPIC_API_KEY: undefined });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('ANTHROPIC_API_KEY');
    expect(e2e.fake.journal).toHaveLength(0);
  });

  it('in print mode a write needing approval is denied with a clear tool error, never a hang', async () => {
    e2e.fake.setScript(directScript([toolReply('write_file', { path: 'new.txt', content: 'x' }), textReply('I could not write the file.')]));
    const r = await baton(['-p', 'create new.txt']);
    expect(r.code).toBe(0);
    const second = JSON.stringify(e2e.fake.journal.filter((j) => j.kind === 'coder')[1]!.body);
    expect(second).toContain('permission denied');
    expect(second).toContain('--permission-mode');
    const db = openDb();
    expect(db.prepare('SELECT status, permission FROM tool_calls').get()).toEqual({ status: 'denied', permission: 'denied' });
    db.close();
  });

  it('two baton processes writing one database at the same time both succeed', async () => {
    const other = makeTempRepo({ 'b.txt': 'b\n' });
    try {
      // Each process reads, then writes a file and finishes: interleaved writes to the same store.
      e2e.fake.setScript(
        routeBy({
          decision: { when: isDecision, replies: () => decision('direct', [{ role: 'coder', instructions: 'write a note' }]) },
          coder: {
            when: isRole('coder'),
            replies: (req) =>
              req.messages.length === 1
                ? toolReply('list_files', {})
                : req.messages.length === 3
                  ? toolReply('write_file', { path: 'note.txt', content: 'n' })
                  : textReply('noted'),
          },
        }),
      );
      const [a, b] = await Promise.all([
        baton(['-p', 'note here', '--permission-mode', 'bypass']),
        e2e.baton(['-p', 'note there', '--permission-mode', 'bypass'], { cwd: other.root }),
      ]);
      expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, '', 0, '']);
      expect(readFileSync(join(other.root, 'note.txt'), 'utf8')).toBe('n');
      const db = openDb();
      expect(db.prepare('SELECT prompt, status FROM runs ORDER BY prompt').all()).toEqual([
        { prompt: 'note here', status: 'completed' },
        { prompt: 'note there', status: 'completed' },
      ]);
      expect(db.prepare('SELECT COUNT(DISTINCT project) AS n FROM runs').get()).toEqual({ n: 2 });
      expect(db.prepare("SELECT COUNT(*) AS n FROM tool_calls WHERE status = 'completed'").get()).toEqual({ n: 4 });
      db.close();
    } finally {
      other.cleanup();
    }
  });

  it('Ctrl-C during a run: exit 130, run and agent call recorded cancelled, bash child killed', async () => {
    const { spawn } = await import('node:child_process');
    const { BATON_BIN } = await import('../support/cli.js');
    e2e.fake.setScript(directScript([toolReply('bash', { command: 'sleep 30 && touch late.txt' }), textReply('never')]));
    const child = spawn(process.execPath, [BATON_BIN, '-p', 'wait', '--permission-mode', 'bypass'], {
      cwd: e2e.repo.root,
      env: { ...process.env, ...env(), BATON_HOME: e2e.repo.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Wait until the bash tool is running, then interrupt.
    const bashRunning = () => {
      if (!existsSync(join(e2e.repo.home, 'baton.db'))) return false;
      const db = openDb();
      try {
        return (db.prepare("SELECT COUNT(*) AS n FROM tool_calls WHERE status = 'running'").get() as { n: number }).n > 0;
      } catch {
        return false; // the schema is still being created
      } finally {
        db.close();
      }
    };
    for (let i = 0; i < 200 && !bashRunning(); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(stderr).toContain('cancelled');
    const db = openDb();
    expect(db.prepare('SELECT status FROM runs').get()).toEqual({ status: 'cancelled' });
    expect(db.prepare('SELECT status FROM agent_calls').get()).toEqual({ status: 'cancelled' });
    expect(db.prepare('SELECT status FROM tool_calls').get()).toEqual({ status: 'cancelled' });
    db.close();
    const ps = (await import('node:child_process')).execFileSync('ps', ['-eo', 'args']).toString();
    expect(ps).not.toContain('sleep 30 && touch late.txt');
  });

  it('--version and --help work and load no model code', async () => {
    const v = await baton(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = await baton(['--help']);
    expect(h.code).toBe(0);
    for (const cmd of ['answer', 'history', 'show', 'stats', 'search', 'feedback', 'undo', '--print', '--continue', '--resume']) {
      expect(h.stdout).toContain(cmd);
    }
  });

  it('an unknown option is a usage error with exit 2', async () => {
    const r = await baton(['--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown option');
  });

  it('a corrupt config file is one clear line and exit 2', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(e2e.repo.home, 'config.json'), '{ "model": ');
    const r = await baton(['-p', 'hi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config\.json is not valid JSON/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('baton -p with a markdown answer', () => {
  const answer = '## Overview\n\nThis changes **one file**:\n\n- `src/greet.js`\n- nothing else\n\n```js\nconst greet = () => "hi";\n```\n';

  it('stays plain markdown when stdout is piped', async () => {
    e2e.fake.setScript(directScript([textReply(answer)]));
    const r = await baton(['-p', 'explain']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(answer);
  });

  // util-linux `script` gives baton a terminal as its stdout.
  it.skipIf(spawnSync('script', ['--version']).status !== 0)('is rendered on a terminal: no raw markers, styled', async () => {
    e2e.fake.setScript(directScript([textReply(answer)]));
    const vars: Record<string, string> = { ...env(), BATON_HOME: e2e.repo.home, TERM: 'xterm-256color' };
    const cmd = `stty cols 80 rows 24; exec env ${Object.entries(vars)
      .map(([k, v]) => `${k}='${v}'`)
      .join(' ')} '${process.execPath}' '${BATON_BIN}' -p explain`;
    const childEnv = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('ANTHROPIC_') && !k.startsWith('BATON_') && k !== 'NO_COLOR'),
    );
    // Not spawnSync: the fake API answers from this process's event loop.
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: e2e.repo.root, env: childEnv, stdio: ['pipe', 'pipe', 'inherit'] });
    let raw = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (raw += d));
    await new Promise((resolve) => child.on('close', resolve));
    const out = raw.replace(/\r/g, '');
    const text = out.replace(/\x1b\[[\d;]*m/g, '');
    expect(text).toContain('Overview');
    expect(text).toContain('• src/greet.js');
    expect(text).toContain('  const greet = () => "hi";');
    for (const raw of ['## ', '**', '```', '- nothing']) expect(text).not.toContain(raw);
    expect(out).toContain('\x1b[1mone file\x1b[0m');
  });
});

/**
 * End to end: the built `baton` in a real pseudo-terminal (tmux), in a real git repository,
 * against the fake Messages API. Needs tmux (CI installs it: `apt-get install -y tmux`) and a
 * build (`npm run build`); without tmux the test is skipped and says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATON_BIN } from '../support/cli.js';
import { startE2e, type E2e } from '../support/e2e.js';
import { routeBy, textReply, toolReply } from '../support/fake-api.js';
import { analysis, decision, isAnalysis, isDecision, isRole } from '../support/routes.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('session.e2e: tmux is not installed, the terminal end-to-end test is skipped');

const socket = `baton-e2e-${process.pid}`;
const pane = 'baton';
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
/** The whole terminal, scrollback included. */
const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', pane);
const occurrences = (text: string) => screen().split(text).length - 1;
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Polls the terminal until `text` is on it; fails with the screen's content. */
async function see(text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = screen();
    if (typeof text === 'string' ? s.includes(text) : text.test(s)) return s;
    if (Date.now() > until) throw new Error(`"${String(text)}" did not appear; the screen shows:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen shows:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Types a prompt, waits for it to be on screen (no keys lost to a busy terminal), then sends it. */
async function prompt(text: string): Promise<void> {
  tmux('send-keys', '-t', pane, '-l', text);
  await see(text);
  tmux('send-keys', '-t', pane, 'Enter');
}

const key = (...names: string[]) => tmux('send-keys', '-t', pane, ...names);

describe.skipIf(!hasTmux)('baton in a terminal (tmux)', () => {
  let e2e: E2e;

  beforeAll(async () => {
    if (!existsSync(BATON_BIN)) throw new Error(`${BATON_BIN} is missing: run npm run build first`);
    e2e = await startE2e({ files: { 'src/greet.js': 'export const greet = () => "hello";\n' } });
    e2e.fake.setScript(
      routeBy({
        decision: { when: isDecision, replies: () => decision('direct', [{ role: 'coder', instructions: 'Do what the user asked' }]) },
        coder: {
          when: isRole('coder'),
          replies: [
            // 1: a question about the code
            textReply('greet returns "hello".'),
            // 2: a follow-up that needs an edit (permission asked)
            toolReply('edit_file', { path: 'src/greet.js', old_string: '"hello"', new_string: '"hi"' }),
            textReply('Changed greet to say hi.'),
            // 3: never answers; Esc cancels it
            { fault: 'hang' },
            // 4: asks the user, then finishes with the answer
            toolReply('ask_user', { question: 'Which greeting next?', options: ['hi', 'hey'] }),
            textReply('Using hey from now on.'),
            // 5: a markdown answer
            textReply(
              '## Plan\n\nChange **one file** only:\n\n- `src/greet.js`\n- nothing else\n\n```js\nexport const greet = () => "hey";\n```\n\nThat is all.',
            ),
            // 6: a slow command (bypass mode), during which the next prompt is typed; then that queued prompt's answer
            toolReply('bash', { command: 'sleep 2' }),
            textReply('Waited two seconds.'),
            textReply('Bye now.'),
          ],
        },
        analysis: { when: isAnalysis, replies: () => analysis('success') },
      }),
    );
    const env = {
      ...e2e.env({ BATON_ANALYSIS: undefined }),
      BATON_HOME: e2e.repo.home,
      NO_COLOR: '1',
      TERM: 'xterm-256color',
      // CI sets this; a terminal session must stay interactive anyway (ink would render only a final frame).
      CI: 'true',
    };
    const command = `env ${Object.entries(env)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => `${k}=${shq(v)}`)
      .join(' ')} ${shq(process.execPath)} ${shq(BATON_BIN)}; echo "[baton exited $?]"; sleep 600`;
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', pane, '-x', '100', '-y', '40', '-c', e2e.repo.root, command);
  });

  afterAll(async () => {
    if (!hasTmux) return;
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    await e2e?.close();
  });

  it('two related prompts, a permission with its diff, /diff, Ctrl-O, Esc during a run, a question, a markdown answer, a queued prompt, /exit', async () => {
    await see('ask for a change, or /help');

    // 1 and 2: the follow-up carries the first exchange, and an edit asks first.
    await prompt('what does greet return?');
    await see('greet returns "hello".');
    await until(() => occurrences('✓ done') === 1, 'the first run to end');
    await prompt('now make it say hi');
    await see('Allow edit_file?');
    await see('Yes, always for this project');
    // The approval shows the diff the edit would make, before anything is approved.
    await see('-export const greet = () => "hello";');
    await see('+export const greet = () => "hi";');
    expect(screen()).toContain('@@ -1,1 +1,1 @@');
    expect(screen()).toMatch(/direct · coder: waiting for permission · 1 turn · [\d.]+k? tokens/);
    expect(e2e.read('src/greet.js')).toBe('export const greet = () => "hello";\n');
    key('y');
    await see('Changed greet to say hi.');
    await until(() => occurrences('✓ done') === 2, 'the second run to end');
    expect(e2e.read('src/greet.js')).toBe('export const greet = () => "hi";\n');
    // After the edit the transcript keeps its diff, folded under the tool line.
    expect(screen()).toMatch(/✓ edit_file src\/greet\.js · \+1 -1\n {6}-export const greet = \(\) => "hello";\n {6}\+export const greet = \(\) => "hi";/);
    // /diff shows the last run's changes in full.
    await prompt('/diff');
    await see('● edit_file src/greet.js · direct · coder');
    // Ctrl-O unfolds the last run's agents and tool calls; again folds them.
    key('C-o');
    await see('▾ direct run');
    await see(/└─ ✓ direct · coder · 2 turns · [\d.]+k? tokens/);
    await see('     ✓ edit src/greet.js · +1 -1');
    key('C-o');
    await until(() => !screen().includes('(ctrl-o folds)'), 'the trace to fold');
    const decisions = e2e.fake.journal.filter((j) => j.kind === 'decision');
    expect(decisions).toHaveLength(2);
    const secondDecision = JSON.stringify(decisions[1]!.body);
    expect(secondDecision).toContain('what does greet return?');
    expect(secondDecision).toContain('greet returns');

    // 3: Esc cancels a run whose model never answers; the prompt comes back.
    await prompt('take forever');
    await see('(esc to cancel)');
    await until(() => e2e.fake.journal.filter((j) => j.kind === 'coder').length === 4, 'the hanging model call');
    key('Escape');
    await see('⊘ cancelled');

    // 4: a question with options, answered by its number; the run resumes and finishes.
    await prompt('pick a greeting');
    await see('? Which greeting next?');
    await see('3. Other (type an answer)');
    key('2');
    await see('Using hey from now on.');
    await see('→ hey');
    await until(() => occurrences('✓ done') === 3, 'the resumed run to end');

    const db = e2e.openDb();
    try {
      expect(db.prepare('SELECT prompt, status FROM runs ORDER BY started_at').all()).toEqual([
        { prompt: 'what does greet return?', status: 'completed' },
        { prompt: 'now make it say hi', status: 'completed' },
        { prompt: 'take forever', status: 'cancelled' },
        { prompt: 'pick a greeting', status: 'completed' },
      ]);
      expect(db.prepare("SELECT answer FROM questions WHERE question = 'Which greeting next?'").get()).toEqual({ answer: 'hey' });
    } finally {
      db.close();
    }

    // The status line counts the session's tokens and cost.
    expect(screen()).toMatch(/ask \(shift-tab\) · [\d.]+k? tokens · \$0\.\d{4} · cache \d+%/);
    // NO_COLOR: bold, dim and inverse only, no colour (SGR 30-38, 40-48, 90-107).
    const attributes = tmux('capture-pane', '-p', '-e', '-S', '-', '-t', pane).match(/\x1b\[[\d;]*m/g) ?? [];
    expect(attributes.length).toBeGreaterThan(0);
    for (const sgr of attributes)
      expect(
        sgr
          .slice(2, -1)
          .split(';')
          .filter((p) => /^(3[0-8]|4[0-8]|9\d|10\d)$/.test(p)),
      ).toEqual([]);

    // 5: markdown renders: no raw markers on screen.
    await prompt('explain the plan');
    await see('• src/greet.js');
    await until(() => occurrences('✓ done') === 4, 'the markdown run to end');
    const shown = screen();
    expect(shown).toContain('Plan');
    expect(shown).toContain('  export const greet = () => "hey";');
    for (const raw of ['## Plan', '**one file**', '```', '- nothing else']) expect(shown).not.toContain(raw);

    // 6: a prompt typed while a run works is queued, shown, and runs after it in the same thread.
    key('BTab');
    key('BTab');
    await see('bypass (shift-tab)');
    await prompt('wait a little');
    await until(() => e2e.fake.journal.filter((j) => j.kind === 'coder').length === 8, 'the slow command to start');
    await prompt('then say bye');
    await see('queued: then say bye');
    await see('Bye now.');
    await until(() => occurrences('✓ done') === 6, 'the queued run to end');
    const db2 = e2e.openDb();
    try {
      const rows = db2.prepare('SELECT prompt, status, thread_id FROM runs ORDER BY started_at').all() as {
        prompt: string;
        status: string;
        thread_id: string;
      }[];
      expect(rows.slice(-2).map((r) => [r.prompt, r.status])).toEqual([
        ['wait a little', 'completed'],
        ['then say bye', 'completed'],
      ]);
      expect(new Set(rows.map((r) => r.thread_id)).size).toBe(1);
    } finally {
      db2.close();
    }

    await prompt('/exit');
    await see('[baton exited 0]');
  });
});

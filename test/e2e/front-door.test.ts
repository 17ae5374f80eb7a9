/**
 * The front door: bad input to the built CLI gets one `baton: …` line, the documented exit code,
 * no stack trace and no request to the API.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATON_BIN, type CliResult } from '../support/cli.js';
import { routeBy, textReply, toolReply } from '../support/fake-api.js';
import { useE2e } from '../support/e2e.js';
import { decision, isAnalysis, isDecision, isRole } from '../support/routes.js';

const e2e = useE2e({ files: { 'a.txt': 'alpha\n' } });

const apiEnv = () => e2e.env();
const baton = (args: string[], env: Record<string, string | undefined> = {}) => e2e.baton(args, { env });

/** Exactly one line on stderr, starting `baton: `, and no stack trace. */
function oneLine(r: CliResult): string {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^baton: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

/**
 * Permissions mean nothing to root: when the tests run as root, the CLI runs as `nobody` so a
 * read-only file is read-only to it. (Temp folders are opened up so that user can reach them.)
 */
const isRoot = process.getuid?.() === 0;
function asUnprivileged(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  if (isRoot) {
    for (let dir = e2e.repo.root; dir !== dirname(e2e.repo.home); dir = dirname(dir)) chmodSync(dir, 0o755);
    chmodSync(dirname(e2e.repo.home), 0o755);
  }
  const full: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('ANTHROPIC_') && !k.startsWith('BATON_')) full[k] = v;
  // `nobody` does not own the repository: tell git it is safe to read.
  Object.assign(full, {
    NO_COLOR: '1',
    HOME: e2e.repo.home,
    BATON_HOME: e2e.repo.home,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'safe.directory',
    GIT_CONFIG_VALUE_0: '*',
  });
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete full[k];
    else full[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BATON_BIN, ...args], {
      cwd: e2e.repo.root,
      env: full,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('the prompt', () => {
  for (const prompt of ['', '   ', '\n\t ']) {
    it(`-p ${JSON.stringify(prompt)} is exit 2, "the prompt is empty", and no request`, async () => {
      const r = await baton(['-p', prompt]);
      expect(r.code).toBe(2);
      expect(oneLine(r)).toBe('baton: the prompt is empty');
      expect(e2e.fake.journal).toHaveLength(0);
      expect(existsSync(join(e2e.repo.home, 'baton.db'))).toBe(false);
    });
  }

  it('an empty prompt on stdin is refused the same way', async () => {
    const r = await e2e.baton(['-p'], { stdin: '  \n' });
    expect(r.code).toBe(2);
    expect(oneLine(r)).toMatch(/^baton: .*prompt/);
    expect(e2e.fake.journal).toHaveLength(0);
  });
});

describe('option errors: one baton line, exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown option', ['--bogus'], /^baton: unknown option '--bogus'; see baton --help$/],
    ['unknown option with a suggestion', ['--modle', 'x'], /^baton: unknown option '--modle' \(did you mean --model\?\); see baton --help$/],
    ['missing argument', ['--model'], /^baton: option '--model <id>' argument missing; see baton --help$/],
    [
      'invalid choice',
      ['--permission-mode', 'yolo', '-p', 'hi'],
      /^baton: option '--permission-mode <mode>' argument 'yolo' is invalid\. Allowed choices are .*; see baton --help$/,
    ],
    ['invalid choice of --output-format', ['-p', 'hi', '--output-format', 'xml'], /^baton: option .*--output-format.* 'xml' is invalid/],
    ['a subcommand’s unknown option', ['history', '--nope'], /^baton: unknown option '--nope'; see baton --help$/],
    ['a subcommand’s missing argument', ['answer'], /^baton: missing required argument 'run'; see baton --help$/],
    ['a bad budget', ['--max-budget-usd', 'lots', '-p', 'hi'], /^baton: --max-budget-usd needs a positive number, got "lots"$/],
  ];
  for (const [name, args, expected] of cases) {
    it(name, async () => {
      const r = await baton(args);
      expect(r.code).toBe(2);
      expect(oneLine(r)).toMatch(expected);
      expect(e2e.fake.journal).toHaveLength(0);
    });
  }

  it('--help and --version still exit 0 on stdout', async () => {
    const v = await baton(['--version']);
    expect(v.code).toBe(0);
    expect(v.stderr).toBe('');
    const h = await baton(['history', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Usage:');
  });

  it('with --debug a usage error is still one line', async () => {
    const r = await baton(['--debug', '--bogus']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toContain("unknown option '--bogus'");
  });
});

describe('the database and the home folder', () => {
  it('a read-only database file: one line naming it, exit 2, no request', async () => {
    const dbPath = join(e2e.repo.home, 'baton.db');
    new Database(dbPath).close();
    chmodSync(dbPath, 0o444);
    chmodSync(e2e.repo.home, 0o777);
    const r = await asUnprivileged(['-p', 'hi', '--db', dbPath], apiEnv());
    expect(r.code).toBe(2);
    expect(oneLine(r)).toBe(`baton: the database ${dbPath} is read-only; fix its permissions or choose another file with --db`);
    expect(e2e.fake.journal).toHaveLength(0);
  });

  it('a database in a read-only folder: one line naming the file, exit 2', async () => {
    const dir = join(e2e.repo.home, 'locked');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    const dbPath = join(dir, 'baton.db');
    const r = await asUnprivileged(['-p', 'hi', '--db', dbPath], apiEnv());
    expect(r.code).toBe(2);
    expect(oneLine(r)).toBe(`baton: cannot write the database ${dbPath}: its folder ${dir} is read-only; fix its permissions or choose another file with --db`);
    expect(e2e.fake.journal).toHaveLength(0);
  });

  it('a file where the database folder should be: one line, exit 2', async () => {
    writeFileSync(join(e2e.repo.home, 'blocker'), 'x');
    const dbPath = join(e2e.repo.home, 'blocker', 'baton.db');
    const r = await baton(['history', '--db', dbPath]);
    // history never creates a database: it says there is none. -p would create one, and cannot.
    const p = await baton(['-p', 'hi', '--db', dbPath]);
    expect(p.code).toBe(2);
    expect(oneLine(p)).toBe(
      `baton: cannot create the folder of the database ${dbPath}: a file is in the way; fix its permissions or choose another file with --db`,
    );
    expect(r.code).toBe(2);
    expect(oneLine(r)).toContain(dbPath);
  });

  it('HOME unwritable and no BATON_HOME: one line saying to set BATON_HOME, exit 2', async () => {
    const home = join(e2e.repo.home, 'ro-home');
    mkdirSync(home);
    chmodSync(home, 0o555);
    const r = await asUnprivileged(['-p', 'hi'], { ...apiEnv(), HOME: home, XDG_DATA_HOME: undefined, BATON_HOME: undefined });
    expect(r.code).toBe(2);
    expect(oneLine(r)).toBe(
      `baton: no usable home folder for baton's database (cannot create ${home}/.local/share/baton: ${home} is not writable); set BATON_HOME to a writable folder (e.g. export BATON_HOME=/tmp/baton)`,
    );
    expect(e2e.fake.journal).toHaveLength(0);
  });

  it('HOME unset and no BATON_HOME: one line saying to set BATON_HOME, exit 2 (review commands too)', async () => {
    for (const args of [['-p', 'hi'], ['history']]) {
      const r = await baton(args, { HOME: undefined, XDG_DATA_HOME: undefined, BATON_HOME: undefined });
      expect(r.code).toBe(2);
      expect(oneLine(r)).toBe(
        "baton: no home folder for baton's database (HOME is not set); set BATON_HOME to a writable folder (e.g. export BATON_HOME=/tmp/baton)",
      );
    }
    expect(e2e.fake.journal).toHaveLength(0);
  });
});

describe('paths given to tools', () => {
  function coder(...turns: ReturnType<typeof toolReply>[]) {
    e2e.fake.setScript(
      routeBy({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'do it' }])] },
        coder: { when: isRole('coder'), replies: [...turns, textReply('done')] },
        analysis: { when: isAnalysis, replies: [] },
      }),
    );
  }
  const toolRows = () => {
    const db = new Database(join(e2e.repo.home, 'baton.db'), { readonly: true });
    try {
      return db.prepare('SELECT name, is_error, output FROM tool_calls ORDER BY started_at').all() as { name: string; is_error: number; output: string }[];
    } finally {
      db.close();
    }
  };

  it('a NUL byte is refused, never cut: no file named by the part before it', async () => {
    coder(toolReply('write_file', { path: 'b.txt\u0000.sh', content: 'x' }), toolReply('read_file', { path: 'a.txt\u0000junk' }));
    const r = await baton(['-p', 'write', '--permission-mode', 'bypass']);
    expect(r.code).toBe(0);
    const rows = toolRows();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.is_error).toBe(1);
      expect(row.output).toMatch(/contains a NUL byte/);
    }
    expect(existsSync(join(e2e.repo.root, 'b.txt'))).toBe(false);
  });

  it('"~" paths are refused with a message that paths are relative to the project root; no "~" folder appears', async () => {
    coder(toolReply('write_file', { path: '~/notes.txt', content: 'x' }), toolReply('list_files', { path: '~' }));
    const r = await baton(['-p', 'write', '--permission-mode', 'bypass']);
    expect(r.code).toBe(0);
    const rows = toolRows();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.is_error).toBe(1);
      expect(row.output).toMatch(/"~" is not expanded; paths are relative to the project root/);
    }
    expect(existsSync(join(e2e.repo.root, '~'))).toBe(false);
  });
});

describe('print mode', () => {
  const twoBlocks = () =>
    e2e.fake.setScript(
      routeBy({
        decision: { when: isDecision, replies: [decision('direct', [{ role: 'coder', instructions: 'explain' }])] },
        coder: { when: isRole('coder'), replies: [{ text: 'I read the file.', moreText: ['The bug is on line 3.'] }] },
        analysis: { when: isAnalysis, replies: [] },
      }),
    );

  it('two text blocks of one turn are printed as two paragraphs, and stored so', async () => {
    twoBlocks();
    const r = await baton(['-p', 'why']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('I read the file.\n\nThe bug is on line 3.\n');
    const db = new Database(join(e2e.repo.home, 'baton.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT content FROM messages WHERE role = 'assistant'").get()).toEqual({ content: 'I read the file.\n\nThe bug is on line 3.' });
    } finally {
      db.close();
    }
    twoBlocks();
    const j = await baton(['-p', 'why', '--output-format', 'json']);
    expect(j.code).toBe(0);
    expect((JSON.parse(j.stdout) as { result: string }).result).toBe('I read the file.\n\nThe bug is on line 3.');
  });
});

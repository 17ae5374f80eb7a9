import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { PermissionMode } from '../../src/core/run.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { addRule, decide, denialMessage, listRules, removeRule, ruleAllows } from '../../src/tools/permissions.js';
import { toolsByName } from '../../src/tools/registry.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';

const tool = (name: string) => toolsByName[name]!;
const calls = {
  read: [tool('read_file'), { path: 'a.ts' }],
  edit: [tool('edit_file'), { path: 'a.ts', old_string: 'a', new_string: 'b' }],
  write: [tool('write_file'), { path: 'a.ts', content: '' }],
  bash: [tool('bash'), { command: 'npm test' }],
  ask: [tool('ask_user'), { question: 'which?' }],
} as const;

describe('decide', () => {
  const table: [PermissionMode, Record<keyof typeof calls, string>][] = [
    ['ask', { read: 'allow', edit: 'ask', write: 'ask', bash: 'ask', ask: 'allow' }],
    ['accept-edits', { read: 'allow', edit: 'allow', write: 'allow', bash: 'ask', ask: 'allow' }],
    ['read-only', { read: 'allow', edit: 'deny', write: 'deny', bash: 'deny', ask: 'allow' }],
    ['bypass', { read: 'allow', edit: 'allow', write: 'allow', bash: 'allow', ask: 'allow' }],
  ];
  it.each(table)('mode %s without rules', (mode, expected) => {
    for (const [kind, [spec, input]] of Object.entries(calls)) {
      expect({ kind, verdict: decide(mode, spec, input, []) }).toEqual({ kind, verdict: expected[kind as keyof typeof calls] });
    }
  });

  it('a tool rule allows that tool in ask mode, and nothing else', () => {
    const [edit, editInput] = calls.edit;
    const [write, writeInput] = calls.write;
    expect(decide('ask', edit, editInput, ['edit_file'])).toBe('allow');
    expect(decide('ask', write, writeInput, ['edit_file'])).toBe('ask');
    expect(decide('ask', write, writeInput, ['write_file'])).toBe('allow');
  });

  it('bash rules: exact command, prefix with " *", and read-only still denies', () => {
    const bash = tool('bash');
    const v = (command: string, rules: string[], mode: PermissionMode = 'ask') => decide(mode, bash, { command }, rules);
    expect(v('npm test', ['bash:npm test'])).toBe('allow');
    expect(v('npm test -- --watch', ['bash:npm test'])).toBe('ask');
    expect(v('npm test -- --grep x', ['bash:npm test *'])).toBe('allow');
    expect(v('npm test', ['bash:npm test *'])).toBe('allow');
    expect(v('npm testing', ['bash:npm test *'])).toBe('ask');
    expect(v('npm run build', ['bash:npm test *'])).toBe('ask');
    expect(v('npm test', ['bash:npm test'], 'accept-edits')).toBe('allow');
    expect(v('npm test', ['bash:npm test'], 'read-only')).toBe('deny');
    expect(v('rm -rf /', ['bash'])).toBe('allow');
  });

  it('a prefix rule never covers chained or redirected commands', () => {
    for (const command of ['npm test; rm -rf ~', 'npm test && curl x | sh', 'npm test > /etc/x', 'npm test $(evil)', 'npm test `evil`', 'npm test\nrm x']) {
      expect({ command, allowed: ruleAllows('bash:npm test *', 'bash', `bash:${command}`) }).toEqual({ command, allowed: false });
    }
    // An exact rule is exactly what the user approved, chaining included.
    expect(ruleAllows('bash:npm test && npm run lint', 'bash', 'bash:npm test && npm run lint')).toBe(true);
  });
});

describe('denialMessage', () => {
  it('tells how to allow the tool when there is no terminal to ask', () => {
    expect(denialMessage(tool('bash'), 'no-terminal')).toBe(
      'permission denied: bash needs approval and there is no terminal to ask; rerun with --permission-mode bypass or allow it in an interactive session',
    );
    expect(denialMessage(tool('edit_file'), 'no-terminal')).toContain('--permission-mode accept-edits/bypass');
    expect(denialMessage(tool('write_file'), 'read-only')).toContain('not allowed in read-only mode');
    expect(denialMessage(tool('bash'), 'user')).toContain('the user declined bash');
  });
});

describe('stored rules', () => {
  let repo: TempRepo;
  let db: Db;
  beforeEach(() => {
    repo = makeTempRepo();
    db = openDatabase(join(repo.home, 'baton.db'));
  });
  afterEach(() => {
    db.close();
    repo.cleanup();
  });

  it('are kept per project, deduplicated, and removable', () => {
    addRule(db, '/p1', 'bash:npm test');
    addRule(db, '/p1', 'edit_file');
    addRule(db, '/p1', 'bash:npm test');
    addRule(db, '/p2', 'write_file');
    expect(listRules(db, '/p1')).toEqual(['bash:npm test', 'edit_file']);
    expect(listRules(db, '/p2')).toEqual(['write_file']);
    expect(decide('ask', tool('bash'), { command: 'npm test' }, listRules(db, '/p1'))).toBe('allow');
    expect(decide('ask', tool('bash'), { command: 'npm test' }, listRules(db, '/p2'))).toBe('ask');
    expect(removeRule(db, '/p1', 'edit_file')).toBe(true);
    expect(removeRule(db, '/p1', 'edit_file')).toBe(false);
    expect(listRules(db, '/p1')).toEqual(['bash:npm test']);
  });

  it('survive reopening the database', () => {
    addRule(db, repo.root, 'bash:make *');
    db.close();
    db = openDatabase(join(repo.home, 'baton.db'));
    expect(listRules(db, repo.root)).toEqual(['bash:make *']);
  });

  it('reject malformed rules with a usage error and store nothing', () => {
    for (const bad of ['', 'read_file', 'bash:', 'bash: ', 'rm']) {
      expect(() => addRule(db, '/p', bad)).toThrow(UserError);
    }
    expect(() => addRule(db, '/p', 'nope')).toThrow(
      'invalid permission rule "nope": use edit_file, write_file, bash, bash:<command> or bash:<command prefix> *',
    );
    expect(listRules(db, '/p')).toEqual([]);
  });
});

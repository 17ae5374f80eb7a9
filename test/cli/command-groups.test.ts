/** Which commands a command line registers: only its own group's module loads. */
import { describe, expect, it } from 'vitest';
import { commandGroups } from '../../src/cli/command-groups.js';

describe('commandGroups', () => {
  it('is the subcommand’s group, after global options and their values', () => {
    expect(commandGroups(['history'])).toEqual(['review']);
    expect(commandGroups(['--db', 'x.db', 'show', 'r_1'])).toEqual(['review']);
    expect(commandGroups(['--model', 'm', '--permission-mode', 'ask', 'lessons', 'pin', '3'])).toEqual(['lessons']);
    expect(commandGroups(['mcp', 'list'])).toEqual(['extensions']);
    expect(commandGroups(['answer', 'r_1', 'yes'])).toEqual(['run']);
  });

  it('is the run commands for a prompt or the session, whatever the prompt says', () => {
    expect(commandGroups([])).toEqual(['run']);
    expect(commandGroups(['-p', 'history'])).toEqual(['run']);
    expect(commandGroups(['--output-format', 'json', '--print', 'show me'])).toEqual(['run']);
    expect(commandGroups(['-r', 'stats', '-c'])).toEqual(['run']);
    expect(commandGroups(['-p'])).toEqual(['run']);
  });

  it('is every group for help and for a word commander must name', () => {
    const all = ['run', 'review', 'feedback', 'lessons', 'undo', 'extensions', 'export'];
    expect(commandGroups(['--help'])).toEqual(all);
    expect(commandGroups(['help', 'history'])).toEqual(all);
    expect(commandGroups(['history', '-h'])).toEqual(all);
    expect(commandGroups(['histroy'])).toEqual(all);
  });
});

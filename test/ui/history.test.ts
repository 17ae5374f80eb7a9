import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PromptHistory } from '../../src/cli/ui/history.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const file = () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-history-'));
  dirs.push(dir);
  return join(dir, 'home', 'history.jsonl');
};

describe('PromptHistory', () => {
  it('keeps prompts per project across sessions, without repeating the last one', () => {
    const f = file();
    const a = PromptHistory.load(f, '/repo/a');
    a.add('first');
    a.add('first');
    a.add('second');
    PromptHistory.load(f, '/repo/b').add('other project');
    expect(PromptHistory.load(f, '/repo/a').entries).toEqual(['first', 'second']);
    expect(PromptHistory.load(f, '/repo/b').entries).toEqual(['other project']);
    expect(readFileSync(f, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('skips lines it cannot read', () => {
    const f = file();
    PromptHistory.load(f, '/p').add('good one');
    appendFileSync(f, 'not json\n{"project":"/p"}\n');
    PromptHistory.load(f, '/p').add('after the junk');
    expect(PromptHistory.load(f, '/p').entries).toEqual(['good one', 'after the junk']);
  });

  it('works in memory when the file cannot be written', () => {
    const f = file();
    PromptHistory.load(f, '/p').add('makes the file');
    // a path below a regular file can be neither read nor written
    const h = PromptHistory.load(join(f, 'history.jsonl'), '/p');
    h.add('still remembered');
    expect(h.entries).toEqual(['still remembered']);
  });
});

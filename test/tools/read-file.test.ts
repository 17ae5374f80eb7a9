import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_READ_LINES } from '../../src/tools/read-file.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { runTool } from './support.js';

const numbered = (n: number) => `${Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n')}\n`;

describe('read_file', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = makeTempRepo({ 'src/app.ts': 'const a = 1;\r\nconst b = 2;\n', 'ten.txt': numbered(10), 'empty.txt': '' });
  });
  afterEach(() => repo.cleanup());

  it('numbers lines like cat -n, dropping CR of CRLF lines', async () => {
    const res = await runTool('read_file', { path: 'src/app.ts' }, repo.root);
    expect(res).toMatchObject({ isError: false, output: '     1\tconst a = 1;\n     2\tconst b = 2;', summary: '2 lines' });
  });

  it('reads a window with offset and limit, and says where to continue', async () => {
    const res = await runTool('read_file', { path: 'ten.txt', offset: 4, limit: 3 }, repo.root);
    expect(res.output).toBe('     4\tline 4\n     5\tline 5\n     6\tline 6\n[lines 4-6 shown; the file continues: read more with offset: 7]');
    const tail = await runTool('read_file', { path: 'ten.txt', offset: 9 }, repo.root);
    expect(tail.output).toBe('     9\tline 9\n    10\tline 10');
  });

  it('reports an offset past the end as an error with the line count', async () => {
    const res = await runTool('read_file', { path: 'ten.txt', offset: 11 }, repo.root);
    expect(res).toMatchObject({ isError: true, output: 'ten.txt has 10 lines; offset 11 is past the end' });
  });

  it('truncates long files by default with a note giving the next offset', async () => {
    repo.write('big.txt', numbered(DEFAULT_READ_LINES + 500));
    const res = await runTool('read_file', { path: 'big.txt' }, repo.root);
    const lines = res.output.split('\n');
    expect(lines).toHaveLength(DEFAULT_READ_LINES + 1);
    expect(lines[DEFAULT_READ_LINES - 1]).toBe(`  ${DEFAULT_READ_LINES}\tline ${DEFAULT_READ_LINES}`);
    expect(lines.at(-1)).toBe(`[lines 1-${DEFAULT_READ_LINES} shown; the file continues: read more with offset: ${DEFAULT_READ_LINES + 1}]`);
  });

  it('stops at about 256 KB of text and cuts very long lines', async () => {
    repo.write('wide.txt', `${'x'.repeat(5000)}\n`.repeat(300));
    const res = await runTool('read_file', { path: 'wide.txt' }, repo.root);
    expect(res.output.length).toBeLessThan(260 * 1024);
    expect(res.output).toContain('… [line truncated: 5000 chars]');
    expect(res.output).toMatch(/\[lines 1-\d+ shown; the file continues: read more with offset: \d+\]$/);
  });

  it('refuses binary files with an actionable message', async () => {
    writeFileSync(join(repo.root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    const res = await runTool('read_file', { path: 'logo.png' }, repo.root);
    expect(res.isError).toBe(true);
    expect(res.output).toBe(
      'logo.png is a binary file (7 bytes); read_file shows text only. Inspect it with bash, e.g. `file logo.png` or `xxd logo.png | head`',
    );
  });

  it('says an empty file is empty', async () => {
    expect((await runTool('read_file', { path: 'empty.txt' }, repo.root)).output).toBe('(empty file)');
  });

  it('suggests the nearest names for a missing file', async () => {
    const res = await runTool('read_file', { path: 'src/ap.ts' }, repo.root);
    expect(res).toMatchObject({ isError: true, output: 'src/ap.ts does not exist; did you mean: src/app.ts?' });
    const moved = await runTool('read_file', { path: 'lib/app.ts' }, repo.root);
    expect(moved.output).toBe('lib/app.ts does not exist; did you mean: src/app.ts?');
    const nothing = await runTool('read_file', { path: 'zzzzzzzz.md' }, repo.root);
    expect(nothing.output).toBe('zzzzzzzz.md does not exist; use glob or list_files to find it.');
  });

  it('points a directory at list_files', async () => {
    const res = await runTool('read_file', { path: 'src' }, repo.root);
    expect(res).toMatchObject({ isError: true, output: 'src is a directory; use list_files to see what it contains' });
  });
});

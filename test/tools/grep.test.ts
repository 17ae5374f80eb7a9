import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MATCHES } from '../../src/tools/grep.js';
import { useRipgrep } from '../../src/tools/ripgrep.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { runTool } from './support.js';

const hasRg = (() => {
  try {
    execFileSync('rg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const files = {
  '.gitignore': 'dist/\n*.log\n',
  'src/a.ts': 'const needle = 1;\nconst other = 2;\nexport const NEEDLE = needle;\n',
  'src/b.tsx': 'function f() {\r\n  return "needle";\r\n}\r\n',
  'src/sub/c.js': '// needle here\n// nothing\n',
  'src/\u00fcnicode.txt': 'needle \u00fcber alles\n',
  'lib/d.py': 'needle = "x"\nprint(needle)',
  'dist/out.js': 'needle in a build artifact\n',
  'debug.log': 'needle in a log\n',
  '.config/e.json': '{"needle": true}\n',
};

/** Every query both engines must answer identically. */
const queries: Record<string, unknown>[] = [
  { pattern: 'needle' },
  { pattern: 'NEEDLE', ignoreCase: true },
  { pattern: 'needle', glob: '*.ts' },
  { pattern: 'needle', glob: '*.{ts,tsx}' },
  { pattern: 'needle', path: 'src' },
  { pattern: 'needle', path: 'src', glob: 'sub/*.js' },
  { pattern: 'needle', path: 'lib/d.py' },
  { pattern: 'needle', path: 'dist' },
  { pattern: '^needle' },
  { pattern: '"needle";$' },
  { pattern: '\\}$' },
  { pattern: 'ne+dle\\s*=\\s*\\d' },
  { pattern: 'nothing matches this' },
  { pattern: '(?<=const )needle' }, // look-behind: rg's default engine rejects it, so the JS engine answers
  { pattern: '(?<!const )needle\\b(?! =)' },
];

describe('grep', () => {
  let repo: TempRepo;
  const saved = process.env.BATON_NO_RG;
  beforeAll(() => {
    repo = makeTempRepo(files);
    writeFileSync(join(repo.root, 'src/blob.bin'), Buffer.concat([Buffer.from('needle\n'), Buffer.from([0, 1, 2]), Buffer.from('\nneedle\n')]));
    writeFileSync(join(repo.root, 'src/late-nul.txt'), Buffer.concat([Buffer.from(`needle\n${'x'.repeat(20_000)}\n`), Buffer.from([0])]));
  });
  afterAll(() => repo.cleanup());
  afterEach(() => {
    if (saved === undefined) delete process.env.BATON_NO_RG;
    else process.env.BATON_NO_RG = saved;
  });

  const grepJs = (input: Record<string, unknown>) => {
    process.env.BATON_NO_RG = '1';
    return runTool('grep', input, repo.root);
  };
  const grepRg = (input: Record<string, unknown>) => {
    delete process.env.BATON_NO_RG;
    return runTool('grep', input, repo.root);
  };

  it('returns path:line:text in path order, skipping .gitignored and binary files (JavaScript engine)', async () => {
    const res = await grepJs({ pattern: 'needle' });
    expect(res.isError).toBe(false);
    expect(res.output.split('\n')).toEqual([
      '.config/e.json:1:{"needle": true}',
      'lib/d.py:1:needle = "x"',
      'lib/d.py:2:print(needle)',
      'src/a.ts:1:const needle = 1;',
      'src/a.ts:3:export const NEEDLE = needle;',
      'src/b.tsx:2:  return "needle";',
      'src/sub/c.js:1:// needle here',
      'src/\u00fcnicode.txt:1:needle \u00fcber alles',
    ]);
    expect(res.summary).toBe('8 matches');
  });

  it('filters with glob and path, and searches an explicitly named ignored directory', async () => {
    expect((await grepJs({ pattern: 'needle', glob: '*.ts' })).output).toBe('src/a.ts:1:const needle = 1;\nsrc/a.ts:3:export const NEEDLE = needle;');
    expect((await grepJs({ pattern: 'needle', path: 'dist' })).output).toBe('dist/out.js:1:needle in a build artifact');
    expect((await grepJs({ pattern: 'nothing matches this' })).output).toBe('No matches.');
  });

  it('handles negative look-around per line (no whole-file shortcut)', async () => {
    // Per line, `x"` ends line 1 so (?!\n) holds; in the whole file a newline follows it.
    expect((await grepJs({ pattern: 'x"(?!\\n)', path: 'lib' })).output).toBe('lib/d.py:1:needle = "x"');
  });

  it('reports an invalid regular expression as a tool error', async () => {
    const res = await grepJs({ pattern: '(unclosed' });
    expect(res.isError).toBe(true);
    expect(res.output).toMatch(/^invalid regular expression: /);
  });

  it('caps the matches with a note on how to narrow the search', async () => {
    const big = makeTempRepo({ 'many.txt': 'hit\n'.repeat(MAX_MATCHES + 50) });
    try {
      const res = await runTool('grep', { pattern: 'hit' }, big.root);
      const lines = res.output.split('\n');
      expect(lines).toHaveLength(MAX_MATCHES + 1);
      expect(lines.at(-1)).toBe(`[first ${MAX_MATCHES} matches shown; narrow with path, glob or a more specific pattern]`);
      expect(res.summary).toBe(`${MAX_MATCHES}+ matches`);
    } finally {
      big.cleanup();
    }
  });

  it.skipIf(!hasRg)('ripgrep and the JavaScript fallback give identical results (needs rg on PATH)', async () => {
    expect(await useRipgrep()).toBe(true);
    for (const query of queries) {
      const [js, rg] = [await grepJs(query), await grepRg(query)];
      expect({ query, ...rg }).toEqual({ query, ...js });
    }
    // The comparison means something only if the engines found things.
    expect((await grepRg({ pattern: 'needle' })).summary).toBe('8 matches');
    expect((await grepRg({ pattern: '(?<=const )needle' })).output).toBe('src/a.ts:1:const needle = 1;');
  });
});

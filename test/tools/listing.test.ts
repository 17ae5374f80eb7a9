import { mkdirSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileFilter, globToRegExp } from '../../src/tools/glob-match.js';
import { isIgnored, parseGitignore, projectFiles } from '../../src/tools/ignore.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { runTool } from './support.js';

const tree = {
  '.gitignore': 'dist/\n*.log\n!keep.log\n/secret.txt\n',
  'README.md': '# r\n',
  'src/index.ts': 'export {};\n',
  'src/util/str.ts': 'export {};\n',
  'src/util/deep/more.ts': 'export {};\n',
  'src/view.tsx': 'export {};\n',
  'dist/index.js': 'built\n',
  'debug.log': 'noise\n',
  'keep.log': 'kept\n',
  'secret.txt': 'root only\n',
  'src/secret.txt': 'nested is fine\n',
  '.github/ci.yml': 'on: push\n',
  'node_modules/dep/index.js': 'dep\n',
};
const expected = [
  '.github/ci.yml',
  '.gitignore',
  'README.md',
  'keep.log',
  'src/index.ts',
  'src/secret.txt',
  'src/util/deep/more.ts',
  'src/util/str.ts',
  'src/view.tsx',
];

describe.each([
  ['in a git repository', true],
  ['outside git', false],
])('listing %s', (_label, git) => {
  let repo: TempRepo;
  const setup = () => {
    // node_modules is not in .gitignore: inside git it is untracked-but-listed, so commit-free trees compare equally.
    repo = makeTempRepo(tree, { git });
    if (git) rmSync(join(repo.root, 'node_modules'), { recursive: true });
    return repo;
  };
  afterEach(() => repo.cleanup());

  it('projectFiles honours .gitignore (negation, anchoring, dir-only) and skips .git and node_modules', async () => {
    const { root } = setup();
    const { files, truncated } = await projectFiles(root, root);
    expect(files.map((f) => f.path)).toEqual(expected);
    expect(truncated).toBe(false);
  });

  it('lists an explicitly named ignored directory in full', async () => {
    const { root } = setup();
    const { files } = await projectFiles(root, join(root, 'dist'));
    expect(files.map((f) => f.path)).toEqual(['dist/index.js']);
  });

  it('list_files draws a tree with directories marked and deeper ones counted', async () => {
    const { root } = setup();
    const res = await runTool('list_files', {}, root);
    expect(res.output).toBe(
      ['.github/', '  ci.yml', 'src/', '  util/ (2 files)', '  index.ts', '  secret.txt', '  view.tsx', '.gitignore', 'README.md', 'keep.log'].join('\n'),
    );
    const sub = await runTool('list_files', { path: 'src', depth: 1 }, root);
    expect(sub.output).toBe(['util/ (2 files)', 'index.ts', 'secret.txt', 'view.tsx'].join('\n'));
  });

  it('glob matches **, {a,b} and ?, honours .gitignore, newest first', async () => {
    const { root } = setup();
    utimesSync(join(root, 'src/view.tsx'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    utimesSync(join(root, 'src/index.ts'), new Date(2003, 1, 1), new Date(2003, 1, 1));
    utimesSync(join(root, 'src/util/str.ts'), new Date(2002, 1, 1), new Date(2002, 1, 1));
    utimesSync(join(root, 'src/util/deep/more.ts'), new Date(2000, 1, 1), new Date(2000, 1, 1));
    const res = await runTool('glob', { pattern: 'src/**/*.{ts,tsx}' }, root);
    expect(res.output.split('\n')).toEqual(['src/index.ts', 'src/util/str.ts', 'src/view.tsx', 'src/util/deep/more.ts']);
    const logs = await runTool('glob', { pattern: '**/*.log' }, root);
    expect(logs.output).toBe('keep.log');
    const inDir = await runTool('glob', { pattern: '*.ts', path: 'src/util' }, root);
    expect(inDir.output).toBe('src/util/str.ts');
    const none = await runTool('glob', { pattern: '**/*.py' }, root);
    expect(none).toMatchObject({ isError: false, output: 'No files match.' });
  });
});

describe('git-specific ignore rules', () => {
  let repo: TempRepo;
  afterEach(() => repo.cleanup());

  it('applies nested .gitignore files, drops deleted tracked files and skips symlinks', async () => {
    repo = makeTempRepo({ 'a/.gitignore': '*.tmp\n', 'a/x.tmp': '', 'a/y.ts': '', 'gone.ts': '' });
    rmSync(join(repo.root, 'gone.ts'));
    symlinkSync(join(repo.root, 'a/y.ts'), join(repo.root, 'link.ts'));
    mkdirSync(join(repo.root, 'empty'));
    const { files } = await projectFiles(repo.root, repo.root);
    expect(files.map((f) => f.path)).toEqual(['a/.gitignore', 'a/y.ts']);
    // A tracked file stays listed even if a rule would ignore it, exactly as git sees it.
    repo.git('add', '-f', 'a/x.tmp');
    expect((await projectFiles(repo.root, repo.root)).files.map((f) => f.path)).toEqual(['a/.gitignore', 'a/x.tmp', 'a/y.ts']);
  });

  it('stops at maxFiles and says so', async () => {
    repo = makeTempRepo({ 'a.ts': '', 'b.ts': '', 'c.ts': '' }, { git: false });
    const listing = await projectFiles(repo.root, repo.root, { maxFiles: 2 });
    expect(listing.files).toHaveLength(2);
    expect(listing.truncated).toBe(true);
  });
});

describe('glob and gitignore matching', () => {
  it('globToRegExp handles **, *, ?, braces and classes', () => {
    const m = (g: string, p: string) => globToRegExp(g).test(p);
    expect(m('**/*.ts', 'a.ts')).toBe(true);
    expect(m('**/*.ts', 'a/b/c.ts')).toBe(true);
    expect(m('*.ts', 'a/b.ts')).toBe(false);
    expect(m('src/**', 'src/a/b')).toBe(true);
    expect(m('src/*/x.js', 'src/a/x.js')).toBe(true);
    expect(m('src/*/x.js', 'src/a/b/x.js')).toBe(false);
    expect(m('file?.md', 'file1.md')).toBe(true);
    expect(m('file?.md', 'file10.md')).toBe(false);
    expect(m('{src,test}/**/*.{ts,tsx}', 'test/a/b.tsx')).toBe(true);
    expect(m('{a/b,c}.js', 'a/b.js')).toBe(true);
    expect(m('[abc].js', 'b.js')).toBe(true);
    expect(m('[!abc].js', 'b.js')).toBe(false);
    expect(m('a+b(1).js', 'a+b(1).js')).toBe(true);
  });

  it('fileFilter matches names at any depth when the glob has no slash', () => {
    expect(fileFilter('*.ts')('deep/dir/a.ts')).toBe(true);
    expect(fileFilter('src/*.ts')('deep/src/a.ts')).toBe(false);
    expect(fileFilter('src/*.ts')('src/a.ts')).toBe(true);
  });

  it('parseGitignore follows git: last rule wins, dir-only, anchored', () => {
    const rules = parseGitignore('# comment\n\nbuild/\n*.log\n!important.log\n/only-root\ndocs/*.md\n');
    expect(isIgnored(rules, 'x/build', true)).toBe(true);
    expect(isIgnored(rules, 'x/build', false)).toBe(false);
    expect(isIgnored(rules, 'a/b.log', false)).toBe(true);
    expect(isIgnored(rules, 'a/important.log', false)).toBe(false);
    expect(isIgnored(rules, 'only-root', false)).toBe(true);
    expect(isIgnored(rules, 'sub/only-root', false)).toBe(false);
    expect(isIgnored(rules, 'docs/a.md', false)).toBe(true);
    expect(isIgnored(rules, 'docs/x/a.md', false)).toBe(false);
  });
});

describe('caps', () => {
  let repo: TempRepo;
  afterEach(() => repo.cleanup());

  it('list_files and glob cap long listings with a note on how to narrow them', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 600; i++) many[`f/${String(i).padStart(3, '0')}.txt`] = '';
    repo = makeTempRepo(many, { git: false });
    const list = await runTool('list_files', { path: 'f' }, repo.root);
    const lines = list.output.split('\n');
    expect(lines).toHaveLength(501);
    expect(lines.at(-1)).toBe('[100 more entries not shown; list a subdirectory or use a smaller depth]');
    const glob = await runTool('glob', { pattern: '**/*.txt' }, repo.root);
    expect(glob.output.split('\n').at(-1)).toBe('[200 of 600 files shown, newest first; narrow the pattern or path]');
    expect(glob.summary).toBe('600 files');
  });
});

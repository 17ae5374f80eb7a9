/** Repository facts, read from real repositories, and their compact prompt text. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatRepoFacts, MEMORY_FILE_MAX_BYTES, repositoryFacts } from '../../src/git/facts.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

describe('repositoryFacts', () => {
  it('reads branch, upstream, status counts, recent commits and the memory file, without writing the index', async () => {
    repo = makeTempRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'gone.txt': 'g\n', 'AGENTS.md': '# Agents\nRun npm test.\n' });
    for (let i = 1; i <= 6; i++) {
      repo.write('a.txt', `a${i}\n`);
      repo.git('commit', '-qam', `change ${i}`);
    }
    repo.git('update-ref', 'refs/remotes/origin/main', 'HEAD~2');
    repo.git('config', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*');
    repo.git('config', 'branch.main.remote', 'origin');
    repo.git('config', 'branch.main.merge', 'refs/heads/main');
    repo.write('a.txt', 'modified\n');
    repo.write('new file.txt', 'staged new\n');
    repo.git('add', 'new file.txt');
    rmSync(join(repo.root, 'gone.txt'));
    repo.write('untracked.txt', 'u\n');
    const index = repo.git('ls-files', '--stage', '--debug');

    const facts = await repositoryFacts(repo.root);

    expect(facts).toMatchObject({
      isGit: true,
      branch: 'main',
      head: repo.git('rev-parse', '--short', 'HEAD').trim(),
      upstream: { name: 'origin/main', ahead: 2, behind: 0 },
      status: { modified: 1, added: 1, deleted: 1, untracked: 1, conflicted: 0 },
      memoryFile: { path: 'AGENTS.md', content: '# Agents\nRun npm test.\n', truncated: false },
    });
    expect(facts.status.paths).toEqual(['M a.txt', 'D gone.txt', 'A new file.txt', '?? untracked.txt']);
    expect(facts.recentCommits).toHaveLength(5);
    expect(facts.recentCommits[0]).toMatch(/^[0-9a-f]{7,} change 6$/);
    expect(repo.git('ls-files', '--stage', '--debug')).toBe(index);

    const text = formatRepoFacts(facts);
    expect(text.split('\n').slice(0, 3)).toEqual([
      `Git: branch main (2 ahead, 0 behind origin/main) at ${facts.head}; 1 modified, 1 added, 1 deleted, 1 untracked`,
      'Changes: M a.txt, D gone.txt, A new file.txt, ?? untracked.txt',
      `Recent commits: ${facts.recentCommits.join(' | ')}`,
    ]);
    expect(text).toContain('AGENTS.md:\n# Agents\nRun npm test.');
  });

  it('prefers BATON.md, caps it, and names a detached HEAD and a clean tree', async () => {
    repo = makeTempRepo({ 'BATON.md': `${'é'.repeat(MEMORY_FILE_MAX_BYTES)}\n`, 'AGENTS.md': 'not this one\n' });
    repo.git('checkout', '-q', '--detach');
    const facts = await repositoryFacts(repo.root);
    expect(facts.branch).toBeNull();
    expect(facts.memoryFile!.path).toBe('BATON.md');
    expect(facts.memoryFile!.truncated).toBe(true);
    expect(facts.memoryFile!.content).toBe('é'.repeat(MEMORY_FILE_MAX_BYTES / 2));
    expect(formatRepoFacts(facts)).toMatch(/^Git: detached HEAD at [0-9a-f]+; clean\nRecent commits: [0-9a-f]+ initial\nBATON.md \(truncated\):\n/);
  });

  it('outside a repository: says so and still reads the memory file', async () => {
    repo = makeTempRepo({ 'BATON.md': 'Use tabs.\n' }, { git: false });
    const facts = await repositoryFacts(repo.root);
    expect(facts).toMatchObject({ isGit: false, branch: null, head: null, recentCommits: [] });
    expect(formatRepoFacts(facts)).toBe('Not a git repository.\nBATON.md:\nUse tabs.');
  });

  it('before the first commit', async () => {
    repo = makeTempRepo({ 'x.txt': 'x\n' }, { git: false });
    repo.git('init', '-q', '-b', 'trunk');
    const facts = await repositoryFacts(repo.root);
    expect(facts).toMatchObject({ isGit: true, branch: 'trunk', head: null, recentCommits: [] });
    expect(formatRepoFacts(facts)).toBe('Git: branch trunk at (no commits); 1 untracked\nChanges: ?? x.txt');
  });
});

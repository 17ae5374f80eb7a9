/** Repository facts for the orchestrator and the agents: where the user is, what is in flight, the memory file. */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { porcelain } from './porcelain.js';

export interface StatusSummary {
  modified: number;
  added: number;
  deleted: number;
  untracked: number;
  conflicted: number;
  /** The first few entries, e.g. `M src/a.ts`, `?? notes.txt`. */
  paths: string[];
}

export interface RepoFacts {
  isGit: boolean;
  /** Branch name; null when HEAD is detached (or not a repository). */
  branch: string | null;
  /** Abbreviated HEAD commit; null before the first commit. */
  head: string | null;
  upstream?: { name: string; ahead: number; behind: number } | undefined;
  status: StatusSummary;
  /** The last commits, `<hash> <subject>`, newest first. */
  recentCommits: string[];
  /** AGENTS.md or BATON.md at the root (BATON.md wins), capped. */
  memoryFile?: { path: string; content: string; truncated: boolean } | undefined;
}

export const MEMORY_FILES = ['BATON.md', 'AGENTS.md'] as const;
export const MEMORY_FILE_MAX_BYTES = 8 * 1024;
const STATUS_PATHS = 15;
const RECENT_COMMITS = 5;

export async function repositoryFacts(root: string): Promise<RepoFacts> {
  const [repo, memoryFile] = await Promise.all([readRepository(root), readMemoryFile(root)]);
  return { ...repo, memoryFile };
}

const NOT_A_REPOSITORY: Omit<RepoFacts, 'memoryFile'> = {
  isGit: false,
  branch: null,
  head: null,
  status: { modified: 0, added: 0, deleted: 0, untracked: 0, conflicted: 0, paths: [] },
  recentCommits: [],
};

/** Unmerged entries' XY codes in `git status --porcelain`. */
const CONFLICTS = new Set(['DD', 'AU', 'UD', 'UA', 'DU', 'AA', 'UU']);

async function readRepository(root: string): Promise<Omit<RepoFacts, 'memoryFile'>> {
  let sg;
  let st;
  try {
    // No optional locks: reading facts must not rewrite the user's index behind their back.
    sg = await porcelain(root, { GIT_OPTIONAL_LOCKS: '0' });
    st = await sg.status(['--untracked-files=normal', '--no-renames']);
  } catch {
    return NOT_A_REPOSITORY; // not a repository, or git missing, or the directory is gone
  }
  // Before the first commit there is no log: no recent commits and no HEAD.
  const log = await sg.log({ maxCount: RECENT_COMMITS, format: { hash: '%h', subject: '%s' } }).catch(() => undefined);
  const recentCommits = (log?.all ?? []).map((c) => `${c.hash} ${c.subject}`);
  const status: StatusSummary = { modified: 0, added: 0, deleted: 0, untracked: 0, conflicted: 0, paths: [] };
  for (const f of st.files) {
    const xy = `${f.index}${f.working_dir}`;
    let code: string;
    if (xy === '??') {
      status.untracked++;
      code = '??';
    } else if (CONFLICTS.has(xy)) {
      status.conflicted++;
      code = 'U';
    } else {
      const changed = xy.replace(/ /g, '');
      if (changed.includes('D')) status.deleted++;
      else if (f.index === 'A') status.added++;
      else status.modified++;
      code = changed[0] ?? 'M';
    }
    if (status.paths.length < STATUS_PATHS) status.paths.push(`${code} ${f.path}`);
  }
  return {
    isGit: true,
    branch: st.detached ? null : st.current,
    // The newest commit's abbreviated hash is HEAD's, as git abbreviates it here.
    head: recentCommits[0]?.split(' ')[0] ?? null,
    upstream: st.tracking ? { name: st.tracking, ahead: st.ahead, behind: st.behind } : undefined,
    status,
    recentCommits,
  };
}

async function readMemoryFile(root: string): Promise<RepoFacts['memoryFile']> {
  for (const name of MEMORY_FILES) {
    let file;
    try {
      file = await open(join(root, name), 'r');
    } catch {
      continue;
    }
    try {
      const buf = Buffer.alloc(MEMORY_FILE_MAX_BYTES + 1);
      const { bytesRead } = await file.read(buf, 0, buf.length, 0);
      const truncated = bytesRead > MEMORY_FILE_MAX_BYTES;
      // Cutting mid-character leaves a replacement character: drop it.
      const content = buf.subarray(0, Math.min(bytesRead, MEMORY_FILE_MAX_BYTES)).toString('utf8').replace(/\uFFFD$/, '');
      return { path: name, content, truncated };
    } finally {
      await file.close();
    }
  }
  return undefined;
}

/** Compact text for prompts: every token here is paid for on every call that includes it. */
export function formatRepoFacts(facts: RepoFacts): string {
  const lines: string[] = [];
  if (!facts.isGit) {
    lines.push('Not a git repository.');
  } else {
    const { status, upstream } = facts;
    const where = facts.branch ? `branch ${facts.branch}` : 'detached HEAD';
    const sync = upstream && (upstream.ahead || upstream.behind) ? ` (${upstream.ahead} ahead, ${upstream.behind} behind ${upstream.name})` : '';
    const counts = (['modified', 'added', 'deleted', 'untracked', 'conflicted'] as const)
      .filter((k) => status[k] > 0)
      .map((k) => `${status[k]} ${k}`);
    lines.push(`Git: ${where}${sync} at ${facts.head ?? '(no commits)'}; ${counts.length ? counts.join(', ') : 'clean'}`);
    if (status.paths.length) {
      const total = status.modified + status.added + status.deleted + status.untracked + status.conflicted;
      const more = total - status.paths.length;
      lines.push(`Changes: ${status.paths.join(', ')}${more > 0 ? ` (+${more} more)` : ''}`);
    }
    if (facts.recentCommits.length) lines.push(`Recent commits: ${facts.recentCommits.join(' | ')}`);
  }
  const memory = facts.memoryFile;
  if (memory) lines.push(`${memory.path}${memory.truncated ? ' (truncated)' : ''}:\n${memory.content.trim()}`);
  return lines.join('\n');
}

/**
 * Repository facts for the orchestrator and the agents: where the user is, what is in flight, the
 * memory file. Read on every run, `-p` included, so through the exec helper rather than simple-git:
 * importing simple-git cost ~40 ms of CPU on each run's first facts (measured, see README), and
 * one `git status --porcelain=v2 --branch` gives status, branch and upstream in one process.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { gitMaybe, gitScriptMaybe, splitNul } from './exec.js';

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

/** Facts being read ahead of their run, by root: taken once. */
const ahead = new Map<string, Promise<RepoFacts>>();

/**
 * Starts reading the facts of `root` now, for the run about to start: print mode calls it before
 * it loads the orchestrator, so git works on the other core meanwhile. The next
 * repositoryFacts(root) takes them; later ones read afresh.
 */
export function readFactsAhead(root: string): void {
  if (ahead.has(root)) return;
  const facts = readFacts(root);
  facts.catch(() => undefined); // a command that ends before its run never takes them
  ahead.set(root, facts);
}

export function repositoryFacts(root: string): Promise<RepoFacts> {
  const early = ahead.get(root);
  ahead.delete(root);
  return early ?? readFacts(root);
}

const STATUS = ['status', '--porcelain=v2', '--branch', '-z', '--no-renames', '--untracked-files=normal'];
const LOG = ['log', `-${RECENT_COMMITS}`, '--no-color', '--format=%h %s'];
// No optional locks: reading facts must not rewrite the user's index behind their back.
const NO_LOCKS = { env: { GIT_OPTIONAL_LOCKS: '0' } };

async function readFacts(root: string): Promise<RepoFacts> {
  const [{ status, log }, memoryFile] = await Promise.all([statusAndLog(root), readMemoryFile(root)]);
  const facts: RepoFacts = { ...parseStatus(status ?? ''), isGit: status !== undefined, recentCommits: [], memoryFile };
  if (log) facts.recentCommits = log.split('\n').filter(Boolean);
  // The newest commit's abbreviated hash is HEAD's, as git abbreviates it here.
  facts.head = facts.recentCommits[0]?.split(' ')[0] ?? facts.head?.slice(0, 7) ?? null;
  return facts;
}

/**
 * `git status` and `git log`, as one shell process where there is a POSIX shell (every run starts
 * with these). Status's -z output ends with a NUL and the log has none, so the last NUL divides
 * them; a failed status (not a repository) fails the script, a failed log (no commit yet) does not.
 */
async function statusAndLog(root: string): Promise<{ status: string | undefined; log: string | undefined }> {
  if (process.platform === 'win32') {
    const [status, log] = await Promise.all([gitMaybe(root, STATUS, NO_LOCKS), gitMaybe(root, LOG)]);
    return { status, log };
  }
  const quoted = (args: string[]) => args.map((a) => `'${a}'`).join(' ');
  const out = await gitScriptMaybe(root, `git ${quoted(STATUS)} && printf '\\000' && { git ${quoted(LOG)} || true; }`, NO_LOCKS);
  if (out === undefined) return { status: undefined, log: undefined };
  const cut = out.lastIndexOf('\0');
  return { status: out.slice(0, cut), log: out.slice(cut + 1) };
}

/** Parses `git status --porcelain=v2 --branch -z`. */
function parseStatus(out: string): Pick<RepoFacts, 'branch' | 'head' | 'upstream' | 'status'> {
  const result: Pick<RepoFacts, 'branch' | 'head' | 'upstream' | 'status'> = {
    branch: null,
    head: null,
    status: { modified: 0, added: 0, deleted: 0, untracked: 0, conflicted: 0, paths: [] },
  };
  const { status } = result;
  let upstream: string | undefined;
  const entries = splitNul(out);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const [kind = '', a = '', b = ''] = entry.split(' ');
    let code: string;
    let path: string;
    if (kind === '#') {
      if (a === 'branch.oid' && b !== '(initial)') result.head = b;
      else if (a === 'branch.head' && b !== '(detached)') result.branch = entry.slice('# branch.head '.length);
      else if (a === 'branch.upstream') upstream = entry.slice('# branch.upstream '.length);
      else if (a === 'branch.ab' && upstream) {
        const behind = entry.split(' ')[3] ?? '-0';
        result.upstream = { name: upstream, ahead: Math.abs(Number(b)), behind: Math.abs(Number(behind)) };
      }
      continue;
    } else if (kind === '?') {
      status.untracked++;
      [code, path] = ['??', entry.slice(2)];
    } else if (kind === 'u') {
      status.conflicted++;
      [code, path] = ['U', field(entry, 10)];
    } else if (kind === '1' || kind === '2') {
      if (kind === '2') i++; // a rename carries its original path as the next entry
      const xy = a.replace(/\./g, '');
      if (xy.includes('D')) status.deleted++;
      else if (a[0] === 'A') status.added++;
      else status.modified++;
      [code, path] = [xy[0] ?? 'M', field(entry, kind === '1' ? 8 : 9)];
    } else continue;
    if (status.paths.length < STATUS_PATHS) status.paths.push(`${code} ${path}`);
  }
  return result;
}

/** The text after the first `n` space-separated fields (paths may contain spaces). */
function field(entry: string, n: number): string {
  let at = 0;
  for (let k = 0; k < n; k++) at = entry.indexOf(' ', at) + 1;
  return entry.slice(at);
}

async function readMemoryFile(root: string): Promise<RepoFacts['memoryFile']> {
  for (const name of MEMORY_FILES) {
    let file: Awaited<ReturnType<typeof open>>;
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
      const content = buf
        .subarray(0, Math.min(bytesRead, MEMORY_FILE_MAX_BYTES))
        .toString('utf8')
        .replace(/\uFFFD$/, '');
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
    const counts = (['modified', 'added', 'deleted', 'untracked', 'conflicted'] as const).filter((k) => status[k] > 0).map((k) => `${status[k]} ${k}`);
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

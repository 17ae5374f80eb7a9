import { execFileSync, spawn } from 'node:child_process';

/**
 * The exec helper: plain `git` child processes for plumbing and for the queries every run makes.
 * The safety net needs a per-call environment (GIT_INDEX_FILE pointing at a private index),
 * NUL-separated plumbing output and stdin input, which simple-git's task queue and output parsers
 * get in the way of; a bare spawn also keeps the checkpoint fast and the module cheap to load.
 * simple-git (`porcelain.ts`) serves the porcelain queries off the hot path.
 */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`git ${args[0] ?? ''} failed: ${firstLine(stderr) || `exit ${exitCode}`}`);
    this.name = 'GitError';
  }
}

export interface GitRunOptions {
  /** Extra environment, e.g. GIT_INDEX_FILE for a private index. */
  env?: Record<string, string>;
  input?: string;
  /** Aborting kills git; the call then fails like any failed git call. */
  signal?: AbortSignal | undefined;
}

/** Runs `git <args>` in `cwd` and resolves with its stdout; rejects with a GitError on a non-zero exit. */
export function git(cwd: string, args: readonly string[], opts: GitRunOptions = {}): Promise<string> {
  return run('git', cwd, args, opts);
}

/**
 * Runs a POSIX shell script of git commands as one process, stdout or undefined when it fails:
 * each process Node starts costs its main thread several milliseconds.
 */
export async function gitScriptMaybe(cwd: string, script: string, opts: GitRunOptions = {}): Promise<string | undefined> {
  try {
    return await run('sh', cwd, ['-c', script], opts);
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

function run(program: string, cwd: string, args: readonly string[], opts: GitRunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd,
      // Nothing here is interactive: never prompt.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: opts.signal,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new GitError(args, e.message, null)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new GitError(args, Buffer.concat(err).toString('utf8'), code));
    });
    child.stdin.on('error', () => {}); // git may exit before reading all input; its exit code tells.
    child.stdin.end(opts.input ?? '');
  });
}

/** `git` that resolves undefined instead of failing (for probes such as "is there a HEAD?"). */
export async function gitMaybe(cwd: string, args: readonly string[], opts: GitRunOptions = {}): Promise<string | undefined> {
  try {
    return await git(cwd, args, opts);
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

/**
 * Synchronous `git <args>`, stdout or undefined when git fails or is missing: for the one call that
 * must answer before anything async runs (which project a command works on).
 */
export function gitSync(cwd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  } catch {
    return undefined;
  }
}

/** Splits NUL-terminated plumbing output (`-z`). */
export function splitNul(out: string): string[] {
  return out.split('\0').filter((s) => s !== '');
}

/** Git input for `--stdin -z` style commands: NUL-terminated paths. */
export function nulList(paths: readonly string[]): string {
  return paths.map((p) => `${p}\0`).join('');
}

function firstLine(s: string): string {
  const line = s
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('hint:'));
  return (line ?? '').replace(/^(fatal|error): /, '');
}

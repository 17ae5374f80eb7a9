import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface GrepMatch {
  /** Root-relative path. */
  path: string;
  /** 1-based. */
  line: number;
  /** The line without its terminator. */
  text: string;
}

export interface GrepQuery {
  pattern: string;
  ignoreCase: boolean;
  /** Stop once this many matches are known (in path order). */
  limit: number;
  signal?: AbortSignal | undefined;
}

let available: Promise<boolean> | undefined;

/** Whether `rg` is on PATH: checked once per process. BATON_NO_RG=1 forces the JavaScript search. */
export function useRipgrep(): Promise<boolean> {
  if (process.env.BATON_NO_RG === '1') return Promise.resolve(false);
  return (available ??= new Promise((resolve) => execFile('rg', ['--version'], (err) => resolve(!err))));
}

const MAX_BATCH_ARG_CHARS = 100_000;

/**
 * Searches exactly the given files (the caller decides what .gitignore excludes, so rg and the
 * JavaScript search see the same set), in path-ordered batches so a broad pattern stops early.
 * Returns null when rg rejects the pattern (its regex dialect lacks e.g. look-around): the
 * caller then uses the JavaScript engine.
 */
export async function ripgrepSearch(root: string, files: string[], query: GrepQuery): Promise<GrepMatch[] | null> {
  const matches: GrepMatch[] = [];
  for (const batch of batches(files)) {
    const found = await searchBatch(root, batch, query);
    if (found === null) return null;
    matches.push(...found);
    if (matches.length >= query.limit) break;
  }
  return matches.slice(0, query.limit);
}

function* batches(files: string[]): Generator<string[]> {
  let batch: string[] = [];
  let chars = 0;
  for (const file of files) {
    if (batch.length > 0 && chars + file.length > MAX_BATCH_ARG_CHARS) {
      yield batch;
      batch = [];
      chars = 0;
    }
    batch.push(file);
    chars += file.length + 1;
  }
  if (batch.length > 0) yield batch;
}

interface RgText {
  text?: string;
  bytes?: string;
}
interface RgMessage {
  type: string;
  data: { path?: RgText; lines?: RgText; line_number?: number; binary_offset?: number | null };
}

const decode = (t: RgText | undefined): string => t?.text ?? Buffer.from(t?.bytes ?? '', 'base64').toString('utf8');

async function searchBatch(root: string, files: string[], query: GrepQuery): Promise<GrepMatch[] | null> {
  // --no-config: the user's rg config must not change results; -E none: no BOM transcoding (as JS reads bytes).
  const args = ['--json', '--no-config', '-E', 'none', query.ignoreCase ? '-i' : '-s', '-e', query.pattern, '--', ...files];
  const child = spawn('rg', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], signal: query.signal });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 4096) stderr += d;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const order = new Map(files.map((f, i) => [f, i]));
  const found: GrepMatch[] = [];
  let pending: GrepMatch[] = [];
  let sawFile = false;
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    const msg = JSON.parse(line) as RgMessage;
    if (msg.type === 'begin') {
      sawFile = true;
      pending = [];
    } else if (msg.type === 'match') {
      pending.push({ path: decode(msg.data.path), line: msg.data.line_number ?? 0, text: decode(msg.data.lines).replace(/\r?\n$/, '') });
    } else if (msg.type === 'end' && msg.data.binary_offset == null) {
      // A file with a NUL anywhere is binary: dropped, as the JavaScript search drops it.
      found.push(...pending);
    }
  }
  const code = await exited;
  // Exit 2 with no file searched is a rejected pattern; with results it is e.g. a file that vanished.
  if (code === 2 && !sawFile && /regex|not allowed/i.test(stderr)) return null;
  return found.sort((a, b) => order.get(a.path)! - order.get(b.path)! || a.line - b.line);
}

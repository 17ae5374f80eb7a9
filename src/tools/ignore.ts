import { isIgnoredByGit, worktreeFiles } from '../git/worktree.js';
import { type Dirent, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { globSource } from './glob-match.js';
import { toRel } from './paths.js';

export interface ProjectFile {
  /** Root-relative, '/'-separated. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface FileListing {
  /** Regular files only (symlinks are not followed), sorted by path. */
  files: ProjectFile[];
  /** True when the walk stopped at `maxFiles`. */
  truncated: boolean;
}

const DEFAULT_MAX_FILES = 100_000;
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

/**
 * The files under `dir` that .gitignore does not exclude. Inside a git work tree git itself
 * answers (`ls-files -co --exclude-standard`: exact, nested ignores and excludes included);
 * elsewhere a walk honours the root .gitignore and always skips .git and node_modules.
 * A directory that is itself ignored, named explicitly, is listed in full (minus .git).
 */
export async function projectFiles(root: string, dir: string, opts: { signal?: AbortSignal | undefined; maxFiles?: number } = {}): Promise<FileListing> {
  root = realpathSync(root); // paths are reported relative to the real root, as resolveInProject reports them
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  const fromGit = await worktreeFiles(dir, opts.signal);
  let paths: string[];
  let truncated = false;
  if (fromGit && (fromGit.length > 0 || !(await isIgnoredByGit(dir)))) {
    paths = fromGit.map((p) => toRel(root, join(dir, p)));
  } else {
    const rules = fromGit ? null : rootIgnoreRules(root);
    const activeRules = rules && !isIgnoredWithAncestors(rules, toRel(root, dir)) ? rules : null;
    ({ paths, truncated } = walk(root, dir, activeRules, maxFiles, opts.signal));
  }
  const files: ProjectFile[] = [];
  for (const path of new Set(paths)) {
    if (files.length >= maxFiles) {
      truncated = true;
      break;
    }
    // lstat drops deleted tracked files, symlinks, submodules and nested repositories.
    const st = lstatIfExists(join(root, path));
    if (st?.isFile()) files.push({ path, size: st.size, mtimeMs: st.mtimeMs });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, truncated };
}

function lstatIfExists(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function walk(root: string, dir: string, rules: IgnoreRule[] | null, maxFiles: number, signal?: AbortSignal): { paths: string[]; truncated: boolean } {
  const paths: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    signal?.throwIfAborted();
    const current = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue; // unreadable directories are skipped, as git and rg do
    }
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const abs = join(current, entry.name);
      const rel = relative(root, abs).split(sep).join('/');
      if (entry.isDirectory()) {
        if (rules && (ALWAYS_SKIPPED.has(entry.name) || isIgnored(rules, rel, true))) continue;
        stack.push(abs);
      } else if (entry.isFile() && !(rules && isIgnored(rules, rel, false))) {
        paths.push(rel);
        if (paths.length >= maxFiles) return { paths, truncated: true };
      }
    }
  }
  return { paths, truncated: false };
}

export interface IgnoreRule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
  /** No slash in the pattern: it matches the name at any depth. */
  byName: boolean;
}

/** The subset of gitignore syntax that matters for one root file: `!`, trailing `/`, anchoring, globs. */
export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.replace(/\r$/, '').replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    rules.push({ re: new RegExp(`^${globSource(line)}$`), negate, dirOnly, byName: !anchored });
  }
  return rules;
}

/** Last matching rule wins, as in git. */
export function isIgnored(rules: IgnoreRule[], rel: string, isDir: boolean): boolean {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  let ignored = false;
  for (const rule of rules) {
    if (rule.dirOnly && !isDir) continue;
    if (rule.re.test(rule.byName ? name : rel)) ignored = !rule.negate;
  }
  return ignored;
}

function isIgnoredWithAncestors(rules: IgnoreRule[], relDir: string): boolean {
  if (relDir === '.') return false;
  const parts = relDir.split('/');
  return parts.some((part, i) => ALWAYS_SKIPPED.has(part) || isIgnored(rules, parts.slice(0, i + 1).join('/'), true));
}

function rootIgnoreRules(root: string): IgnoreRule[] {
  try {
    return parseGitignore(readFileSync(join(root, '.gitignore'), 'utf8'));
  } catch {
    return [];
  }
}

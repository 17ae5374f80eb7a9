import { readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fail, isMissing } from './define.js';

export interface ProjectPath {
  /** Absolute path with symlinks resolved: operations act on the real file, never replace a link. */
  abs: string;
  /** Root-relative, '/'-separated; '.' for the root itself. */
  rel: string;
}

export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

export function toRel(realRoot: string, abs: string): string {
  return relative(realRoot, abs).split(sep).join('/') || '.';
}

/**
 * Resolves `p` against the project root and refuses anything that leaves it: `..` escapes,
 * absolute paths elsewhere, and symlinks whose target is outside (for a path that does not
 * exist yet, the real path of its nearest existing ancestor decides).
 */
export function resolveInProject(root: string, p: string): ProjectPath {
  // Node's fs would throw a raw error, or a C layer cut the name at the NUL.
  if (p.includes('\0')) fail(`refused: the path ${JSON.stringify(p)} contains a NUL byte`);
  const realRoot = realpathSync(root);
  // No shell expands "~" here: it would name a folder called "~" inside the project.
  if (p === '~' || p.startsWith('~/')) fail(`refused: ${p}: "~" is not expanded; paths are relative to the project root ${realRoot}, e.g. "src/index.ts"`);
  // An absolute path spelled through the root's unresolved form (e.g. a symlinked tmp dir) is still inside.
  const lexical = isAbsolute(p) && isInside(root, resolve(p)) ? join(realRoot, relative(root, resolve(p))) : resolve(realRoot, p);
  const expected = `paths must be inside the project root ${realRoot}; give them relative to it, e.g. "src/index.ts"`;
  if (!isInside(realRoot, lexical)) fail(`refused: ${p} is outside the project (${lexical}); ${expected}`);
  const real = realOrNearest(lexical);
  if (!isInside(realRoot, real)) fail(`refused: ${p} leads through a symbolic link to ${real}, outside the project; ${expected}`);
  return { abs: real, rel: toRel(realRoot, real) };
}

/** realpath, or for a missing path the realpath of its nearest existing ancestor plus the rest (dangling links followed). */
function realOrNearest(abs: string): string {
  const rest: string[] = [];
  let cur = abs;
  for (let hops = 0; hops <= 40; ) {
    try {
      return join(realpathSync(cur), ...rest);
    } catch (err) {
      if (!isMissing(err)) throw err;
      const link = linkTarget(cur);
      if (link !== undefined) {
        cur = resolve(dirname(cur), link);
        hops++;
        continue;
      }
      const parent = dirname(cur);
      if (parent === cur) return join(cur, ...rest);
      rest.unshift(basename(cur));
      cur = parent;
    }
  }
  return fail(`refused: too many levels of symbolic links under ${abs}`);
}

function linkTarget(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Write tools never touch .git: a hook written there would run on baton's own git commands,
 * turning a file edit (allowed in accept-edits mode) into command execution.
 */
export function resolveWritable(root: string, p: string): ProjectPath {
  const resolved = resolveInProject(root, p);
  if (resolved.rel === '.git' || resolved.rel.startsWith('.git/')) {
    fail(`refused: ${p} is inside .git; change the repository with git commands through bash instead`);
  }
  return resolved;
}

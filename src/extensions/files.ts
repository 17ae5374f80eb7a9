import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';
import { isMissing } from '../tools/define.js';

/** The names in `dir` ending with one of `exts`, sorted (so the result, and its hash, are stable); none if it does not exist. */
export function listFiles(dir: string, exts: readonly string[]): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  return names.filter((n) => exts.some((e) => n.endsWith(e))).sort();
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A path as shown in warnings: relative to the project when inside it, else as is. */
export function displayPath(path: string, root: string): string {
  const rel = relative(root, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

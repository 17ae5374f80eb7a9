import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fail, isMissing } from './define.js';
import { projectFiles } from './ignore.js';

const MAX_SUGGESTIONS = 5;

/** "not found" plus the project files whose names are closest, so the model can retry at once. */
export async function notFoundMessage(root: string, rel: string, signal?: AbortSignal): Promise<string> {
  const { files } = await projectFiles(root, root, { signal, maxFiles: 50_000 });
  const wanted = baseName(rel).toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 4));
  const scored: { path: string; score: number }[] = [];
  for (const { path } of files) {
    const name = baseName(path).toLowerCase();
    const score = name === wanted ? 0 : editDistance(name, wanted, limit);
    if (score <= limit) scored.push({ path, score });
  }
  scored.sort((a, b) => a.score - b.score || a.path.length - b.path.length);
  const hint = scored.length
    ? `did you mean: ${scored
        .slice(0, MAX_SUGGESTIONS)
        .map((s) => s.path)
        .join(', ')}?`
    : 'use glob or list_files to find it.';
  return `${rel} does not exist; ${hint}`;
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** stat(), turning "missing" into a tool error that suggests the nearest existing names. */
export async function statOrSuggest(ctx: { root: string; signal: AbortSignal }, abs: string, rel: string): Promise<Stats> {
  try {
    return await stat(abs);
  } catch (err) {
    if (isMissing(err)) fail(await notFoundMessage(ctx.root, rel, ctx.signal));
    throw err;
  }
}

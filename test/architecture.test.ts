/**
 * The layer rule of DESIGN.md, checked on the source: every import in src/ (static, `export … from`,
 * `import type` and dynamic `import()`) is read with the TypeScript scanner, each file is mapped to
 * its layer by its top folder, and an import of a higher layer fails the test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', 'src');

/** Lowest first; folders on one rank may import each other. extensions and telemetry may not exist yet. */
const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  ['llm', 'store'],
  ['tools', 'git'],
  ['extensions'],
  ['agents'],
  ['patterns'],
  ['learning'],
  ['orchestrator'],
  ['telemetry'],
  ['cli'],
];
const RANK = new Map(LAYERS.flatMap((folders, rank) => folders.map((f) => [f, rank] as const)));

/**
 * Upward imports known to remain, as "importer -> imported" (paths under src/), each with a comment
 * naming the change that removes it. Empty: none remain. An entry that no longer occurs fails the
 * test, so the list cannot go stale.
 */
const ALLOWED: ReadonlySet<string> = new Set<string>([]);

/**
 * Files outside src/store that still hold SQL, each owned by another change; remove the entry when
 * it lands (the test then fails until it is removed, so the list cannot go stale).
 */
const SQL_OUTSIDE_STORE: readonly string[] = [];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** src-relative path with forward slashes. */
const rel = (path: string) => relative(SRC, path).split(sep).join('/');

function layerOf(srcRelative: string): string {
  const top = srcRelative.split('/')[0]!;
  if (!srcRelative.includes('/')) throw new Error(`src/${srcRelative} is outside every layer folder; put it in one`);
  if (!RANK.has(top)) throw new Error(`src/${top}/ is not a known layer: add it to LAYERS in this test (and to DESIGN.md)`);
  return top;
}

/** Every module specifier a file imports, dynamic imports included. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

interface Edge {
  from: string;
  to: string;
  fromLayer: string;
  toLayer: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = rel(file);
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) continue; // packages and node: builtins have no layer
      const target = resolve(dirname(file), spec)
        .replace(/\.js$/, '.ts')
        .replace(/\.jsx$/, '.tsx');
      const to = rel(target);
      if (to.startsWith('..')) throw new Error(`src/${from} imports ${spec}, outside src/`);
      out.push({ from, to, fromLayer: layerOf(from), toLayer: layerOf(to) });
    }
  }
  return out;
}

describe('architecture', () => {
  const all = edges();
  const upward = all.filter((e) => RANK.get(e.toLayer)! > RANK.get(e.fromLayer)!);
  const key = (e: Edge) => `${e.from} -> ${e.to}`;

  it('reads the imports of every layer folder, dynamic imports included', () => {
    expect(all.length).toBeGreaterThan(100);
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(new Set(all.map((e) => e.fromLayer))).toEqual(new Set(folders));
    // The CLI loads the orchestrator lazily: those edges must be seen, or the check is blind to them.
    expect(all.some((e) => e.fromLayer === 'cli' && e.toLayer === 'orchestrator')).toBe(true);
  });

  it('has no import of a higher layer (a lower layer never imports a higher one)', () => {
    const unexpected = upward.filter((e) => !ALLOWED.has(key(e))).map((e) => `src/${e.from} -> src/${e.to}  (${e.fromLayer} imports ${e.toLayer})`);
    expect(unexpected).toEqual([]);
  });

  it('keeps its allow-list of known upward imports current', () => {
    const seen = new Set(upward.map(key));
    expect([...ALLOWED].filter((k) => !seen.has(k))).toEqual([]);
  });

  it('keeps SQL in src/store', () => {
    const sql = /\.(prepare|exec|pragma)\(\s*[`'"]|\.transaction\(/;
    const outside = sourceFiles(SRC)
      .filter((f) => !rel(f).startsWith('store/'))
      .filter((f) => sql.test(readFileSync(f, 'utf8')))
      .map(rel);
    expect(outside).toEqual([...SQL_OUTSIDE_STORE]);
  });
});

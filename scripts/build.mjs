/**
 * `npm run build`: one esbuild bundle of the CLI with code splitting. Node loads one file per chunk
 * instead of hundreds of modules (the Anthropic SDK and zod are bundled in), and every dynamic
 * import stays a chunk of its own, so ink/react, marked/highlight.js, OpenTelemetry and the MCP SDK
 * load only on the paths that import them. better-sqlite3's JavaScript is bundled too; its compiled
 * addon is loaded from node_modules by path (src/store/db.ts).
 * dist/meta.json maps each chunk to the source files and packages in it (the start-up test reads it).
 */
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * baton's own code uses zod/mini (src/core/zod.ts); the MCP SDK (and zod-to-json-schema, and the MCP
 * manager's fromJSONSchema) use classic zod. Bundled from the same files, both would share one chunk
 * of zod's core holding everything classic needs, and every `baton -p` would compile it. Zod as
 * those importers see it is a copy of its own (namespace `classic-zod`: the same ESM files, still
 * tree-shaken), in the MCP chunks, loaded only when MCP servers are configured.
 */
const classicZodApart = {
  name: 'classic-zod-apart',
  setup(b) {
    const classicUsers = /[\\/]node_modules[\\/](@modelcontextprotocol[\\/]sdk|zod-to-json-schema)[\\/]|[\\/]src[\\/]extensions[\\/]mcp[\\/]/;
    // zod ships each entry as .cjs beside its .js (ESM).
    const esm = (specifier, from) => createRequire(from).resolve(specifier).replace(/\.cjs$/, '.js');
    b.onResolve({ filter: /^zod(\/.*)?$/ }, (args) =>
      classicUsers.test(args.importer) ? { path: esm(args.path, args.importer), namespace: 'classic-zod' } : undefined,
    );
    // zod's own relative imports stay in the copy.
    b.onResolve({ filter: /^\./, namespace: 'classic-zod' }, (args) => ({ path: resolve(dirname(args.importer), args.path), namespace: 'classic-zod' }));
    b.onLoad({ filter: /.*/, namespace: 'classic-zod' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), resolveDir: dirname(args.path), loader: 'js' }));
  },
};

/**
 * react, react-reconciler and scheduler choose their development or production build at run time
 * (`process.env.NODE_ENV`), so both were bundled: half of ink's 1.1 MB chunk was React's
 * development build, read and parsed before the session's first keys show (~50 ms), though the
 * session always runs the production one (src/cli/interactive.ts). Their entry is replaced by its
 * production branch.
 */
const reactProduction = {
  name: 'react-production',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/](react|react-reconciler|scheduler)[\\/](index|jsx-runtime|constants)\.js$/ }, ({ path }) => {
      const production = /require\('(\.\/cjs\/[\w.-]+\.production\.js)'\)/.exec(readFileSync(path, 'utf8'))?.[1];
      if (!production) throw new Error(`${path}: no production build found in its entry`);
      return { contents: `module.exports = require('${production}');`, resolveDir: dirname(path), loader: 'js' };
    });
  },
};

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  // bin.ts enables source maps for --debug before the program loads.
  entryPoints: [{ in: 'src/cli/bin.ts', out: 'cli/main' }],
  outdir: 'dist',
  // Every chunk next to the entry, so `new URL('../../package.json', import.meta.url)` in any of them finds the package.
  chunkNames: 'cli/chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // ESM builds first: a dynamic import() of a CommonJS build in the bundle has only a default export
  // (Node's own loader would find the named ones), so dual packages are taken as ESM.
  mainFields: ['module', 'main'],
  target: 'node20',
  // react-devtools-core: ink's optional dev tool (imported only with DEV=true), not installed.
  external: ['react-devtools-core'],
  plugins: [classicZodApart, reactProduction],
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  legalComments: 'none',
  // Identifiers keep their names: --debug stack traces name the functions (source maps give the places).
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': 'process.env.NODE_ENV' },
  // CommonJS packages in an ESM bundle call require() for node built-ins.
  banner: { js: "import { createRequire as __batonRequire } from 'node:module'; const require = __batonRequire(import.meta.url);" },
});
writeFileSync(`${root}/dist/meta.json`, JSON.stringify(result.metafile));

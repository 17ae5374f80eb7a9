/**
 * `npm run build`: one esbuild bundle of the CLI with code splitting. Node loads one file per chunk
 * instead of hundreds of modules (the Anthropic SDK and zod are bundled in), and every dynamic
 * import stays a chunk of its own, so ink/react, marked/highlight.js, OpenTelemetry and the MCP SDK
 * load only on the paths that import them. better-sqlite3 (native) stays in node_modules.
 * dist/meta.json maps each chunk to the source files and packages in it (the start-up test reads it).
 */
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  external: ['better-sqlite3', 'react-devtools-core'],
  plugins: [reactProduction],
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

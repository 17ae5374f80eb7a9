#!/usr/bin/env node
/**
 * The `baton` executable (built to dist/cli/main.js).
 * - `baton --version` alone is answered here, before the program (commander and every command's
 *   options) loads: it is the one command that needs nothing else.
 * - Source maps are turned on before the program loads, and only with --debug: their cost is paid
 *   only when a stack trace will be read.
 * (The SDK's fetch is node:http, http-fetch.ts, so no WebAssembly parser is compiled at exit.)
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`${pkg.version}\n`);
} else {
  if (args.includes('--debug')) process.setSourceMapsEnabled(true);
  await import('./main.js');
}

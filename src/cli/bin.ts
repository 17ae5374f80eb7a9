#!/usr/bin/env node
/**
 * The `baton` executable (built to dist/cli/main.js). Two process-wide settings before anything loads:
 * - WebAssembly is compiled by the baseline compiler only: Node's fetch client (undici) compiles its
 *   HTTP parser from wasm on the first request, and the optimising tier-up of it otherwise runs in
 *   the background and holds the process at exit for 200–300 ms (measured); the parser is not where
 *   a CLI spends its time.
 * - source maps, only with --debug: their cost is paid only when a stack trace will be read.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--liftoff-only');
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
await import('./main.js');

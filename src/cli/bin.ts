#!/usr/bin/env node
/**
 * The `baton` executable (built to dist/cli/main.js). Source maps are turned on before the program
 * loads, and only with --debug: their cost is paid only when a stack trace will be read.
 * (The SDK's fetch is node:http, http-fetch.ts, so no WebAssembly parser is compiled: V8's
 * --liftoff-only, which removed the exit wait for it, measured no better on top of that.)
 */
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
await import('./main.js');

#!/usr/bin/env node
// A small MCP server over stdio for tests. Flags: --label <text>, --pid-file <path> (writes its pid),
// --hang (never answers, ignores the end of stdin: for connect timeouts and orphan checks), --fail-start (exits at once with a message on stderr).
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { registerTools } from './tools.mjs';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? '') : undefined;
};

const pidFile = flag('--pid-file');
if (pidFile) appendFileSync(pidFile, `${process.pid}\n`);
if (args.includes('--fail-start')) {
  process.stderr.write('cannot start: missing token\n');
  process.exit(1);
}
if (args.includes('--hang')) {
  // Reads, never answers, and stays alive after stdin closes: only a signal ends it (as with a careless real server).
  process.stdin.resume();
  setInterval(() => {}, 1000);
} else {
  const server = new McpServer({ name: 'test-stdio', version: '1.0.0' });
  registerTools(server, flag('--label') ?? 'stdio');
  await server.connect(new StdioServerTransport());
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const STDIO_SERVER = join(here, '..', 'support', 'mcp-servers', 'stdio.mjs');
export const HTTP_SERVER = join(here, '..', 'support', 'mcp-servers', 'http.mjs');
export const FS_SERVER = join(here, '..', '..', 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');

export function stdioEntry(...args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: [STDIO_SERVER, ...args] };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function pidsIn(file: string): number[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : [];
}

/** Waits until none of `pids` is alive (a killed process takes a moment to go). */
export async function gone(pids: number[], ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!pids.some(alive)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !pids.some(alive);
}

/** Starts the HTTP test server as its own process; resolves with its URL. */
export function startHttpServer(...args: string[]): Promise<{ url: string; child: ChildProcess; stop(): void }> {
  const child = spawn(process.execPath, [HTTP_SERVER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const m = /listening (\d+)/.exec(d);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}/mcp`, child, stop: () => child.kill('SIGTERM') });
    });
  });
}

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import * as z from '../core/zod.js';
import { defineTool, fail } from './define.js';
import { HeadTailBuffer } from './output.js';

export const DEFAULT_BASH_TIMEOUT_MS = 120_000;
export const MAX_BASH_TIMEOUT_MS = 600_000;
/** How long a process group gets to exit after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** After the command exits, how long stray holders of its pipes (e.g. setsid daemons) may keep them open. */
const DRAIN_MS = 500;

const schema = z.strictObject({
  command: z.string().check(z.minLength(1), z.describe('Bash command line')),
  timeoutMs: z.optional(z.number().check(z.int(), z.minimum(1000), z.maximum(MAX_BASH_TIMEOUT_MS))).check(z.describe(`Default ${DEFAULT_BASH_TIMEOUT_MS}`)),
});

/** Secrets of baton's own that commands (and so the model and the store) must never see. */
const HIDDEN_ENV = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'];

export const bashTool = defineTool({
  name: 'bash',
  description:
    'Run a bash command in the project root with no stdin; returns combined stdout/stderr and the exit code. Background processes are stopped when it ends.',
  schema,
  permission: 'exec',
  ruleKey: (input) => `bash:${input.command}`,
  title: (input) => `bash: ${input.command.replace(/\n/g, ' ↵ ')}`,
  subject: (input) => input.command,
  preview: async (input) => input.command,
  async run(input, ctx) {
    if (ctx.signal.aborted) return { isError: true, output: '[cancelled before it started]', summary: 'cancelled' };
    const timeoutMs = input.timeoutMs ?? DEFAULT_BASH_TIMEOUT_MS;
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', PAGER: 'cat' };
    for (const name of HIDDEN_ENV) delete env[name];
    // detached: the command leads its own process group, so a timeout or cancel can kill all of it.
    const child = spawn('bash', ['-c', input.command], { cwd: ctx.root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    const output = new HeadTailBuffer();
    child.stdout.setEncoding('utf8').on('data', output.push);
    child.stderr.setEncoding('utf8').on('data', output.push);
    const closed = new Promise((resolve) => child.once('close', resolve));

    let stopped: 'timeout' | 'cancelled' | undefined;
    const stop = (why: 'timeout' | 'cancelled') => {
      stopped ??= why;
      void killGroup(child.pid);
    };
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const onAbort = () => stop('cancelled');
    ctx.signal.addEventListener('abort', onAbort, { once: true });

    try {
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code, signal) => resolve({ code, signal }));
      }).catch((err: Error) => fail(`bash could not be started: ${err.message}`));
      clearTimeout(timer);
      await killGroup(child.pid); // whatever the command left running in the background
      await Promise.race([closed, delay(DRAIN_MS)]);
      child.stdout.destroy();
      child.stderr.destroy();

      const text = output.text().replace(/\n$/, '');
      const body = text === '' ? '(no output)' : text;
      if (stopped === 'timeout') {
        const secs = Math.round(timeoutMs / 1000);
        return {
          isError: true,
          output: `${body}\n[timed out after ${secs}s; the command and its child processes were killed]`,
          summary: `timed out after ${secs}s`,
        };
      }
      if (stopped === 'cancelled') return { isError: true, output: `${body}\n[cancelled by the user]`, summary: 'cancelled' };
      const status = exit.code !== null ? `exit ${exit.code}` : `killed by ${exit.signal}`;
      return { isError: exit.code !== 0, output: `${body}\n[${status}]`, summary: status };
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
    }
  },
});

/**
 * Whether any process of the group still runs. Zombies count as gone: where PID 1 reaps slowly
 * (containers), a killed group can linger as zombies for seconds.
 */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return true; // no /proc (macOS): the signal test is all we have
  }
  return pids.some((pid) => {
    try {
      // Fields after the parenthesised command name: state, ppid, pgrp, …
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z';
    } catch {
      return false; // exited while we looked
    }
  });
}

/** SIGTERM to the whole group, SIGKILL to what is left after a grace period; resolves when it is gone (or given up on). */
export async function killGroup(pgid: number | undefined): Promise<void> {
  if (pgid === undefined || !groupAlive(pgid)) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  for (let waited = 0; waited < KILL_GRACE_MS && groupAlive(pgid); waited += 50) await delay(50);
  if (!groupAlive(pgid)) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    return;
  }
  // Killed processes may linger as zombies until reaped; do not wait on them forever.
  for (let waited = 0; waited < KILL_GRACE_MS && groupAlive(pgid); waited += 50) await delay(50);
}

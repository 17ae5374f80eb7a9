import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { runTool } from './support.js';

/** Alive and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    try {
      process.kill(pid, 0);
      return !existsSync('/proc/self');
    } catch {
      return false;
    }
  }
}

describe('bash', () => {
  let repo: TempRepo;
  const pidIn = (file: string) => Number(readFileSync(join(repo.root, file), 'utf8').trim());
  beforeEach(() => {
    repo = makeTempRepo();
  });
  afterEach(() => repo.cleanup());

  it('runs in the project root and returns combined output with the exit code', async () => {
    const ok = await runTool('bash', { command: 'pwd; echo to-stderr >&2' }, repo.root);
    expect(ok).toEqual({ isError: false, output: `${repo.root}\nto-stderr\n[exit 0]`, summary: 'exit 0' });
    const failed = await runTool('bash', { command: 'echo nope; exit 3' }, repo.root);
    expect(failed).toEqual({ isError: true, output: 'nope\n[exit 3]', summary: 'exit 3' });
    const silent = await runTool('bash', { command: 'true' }, repo.root);
    expect(silent.output).toBe('(no output)\n[exit 0]');
  });

  it('gives commands an empty stdin, so nothing waits for input', async () => {
    const res = await runTool('bash', { command: 'read -r line; echo "read:[$line] rc=$?"; cat' }, repo.root);
    expect(res.output).toBe('read:[] rc=1\n[exit 0]');
  });

  it('does not pass baton credentials to commands', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = 'sk-ant-test';
    try {
      const res = await runTool('bash', { command: 'echo "key=${ANTHROPIC_API_KEY:-unset}"' }, repo.root);
      expect(res.output).toBe('key=unset\n[exit 0]');
    } finally {
      if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  it('on timeout kills the whole process group, children included', async () => {
    const command = 'echo before; sleep 300 & echo $! > bg.pid; bash -c "sleep 301" & echo $! > fg.pid; wait';
    const res = await runTool('bash', { command, timeoutMs: 1000 }, repo.root);
    expect(res).toEqual({
      isError: true,
      output: 'before\n[timed out after 1s; the command and its child processes were killed]',
      summary: 'timed out after 1s',
    });
    expect(alive(pidIn('bg.pid'))).toBe(false);
    expect(alive(pidIn('fg.pid'))).toBe(false);
  });

  it('escalates to SIGKILL when the group ignores SIGTERM', async () => {
    const command = 'trap "" TERM; sleep 300 & echo $! > bg.pid; while true; do sleep 1; done';
    const res = await runTool('bash', { command, timeoutMs: 1000 }, repo.root);
    expect(res.summary).toBe('timed out after 1s');
    expect(alive(pidIn('bg.pid'))).toBe(false);
  });

  it('on abort kills the process group and reports cancelled', async () => {
    const controller = new AbortController();
    const pending = runTool('bash', { command: 'sleep 300 & echo $! > bg.pid; wait' }, repo.root, controller.signal);
    while (!existsSync(join(repo.root, 'bg.pid')) || readFileSync(join(repo.root, 'bg.pid'), 'utf8') === '') await delay(20);
    controller.abort();
    const res = await pending;
    expect(res).toMatchObject({ isError: true, summary: 'cancelled' });
    expect(res.output).toBe('(no output)\n[cancelled by the user]');
    expect(alive(pidIn('bg.pid'))).toBe(false);
  });

  it('stops background processes left behind when the command ends', async () => {
    const res = await runTool('bash', { command: 'sleep 300 >/dev/null 2>&1 & echo $! > bg.pid; echo done' }, repo.root);
    expect(res.output).toBe('done\n[exit 0]');
    expect(alive(pidIn('bg.pid'))).toBe(false);
  });

  it('keeps head and tail of a runaway output in bounded memory', async () => {
    const res = await runTool('bash', { command: 'seq 1 400000' }, repo.root);
    expect(res.output.startsWith('1\n2\n3\n')).toBe(true);
    expect(res.output.endsWith('399999\n400000\n[exit 0]')).toBe(true);
    expect(res.output).toMatch(/\n\[… \d+ chars omitted …\]\n/);
    expect(res.output.length).toBeLessThan(2_100_000);
  });

  it('refuses timeouts above 10 minutes at validation', async () => {
    await expect(runTool('bash', { command: 'true', timeoutMs: 600_001 }, repo.root)).rejects.toThrow('input.timeoutMs: Too big');
  });
});

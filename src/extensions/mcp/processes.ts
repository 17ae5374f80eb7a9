/**
 * No MCP server process outlives baton: every spawned server's pid is tracked here; on exit (however
 * it happens: the end of a command, process.exit, Ctrl-C, SIGTERM, SIGHUP) each gets SIGTERM.
 */
import { constants } from 'node:os';

const live = new Set<number>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let hooked = false;

export function trackServerProcess(pid: number): void {
  live.add(pid);
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

export function untrackServerProcess(pid: number): void {
  live.delete(pid);
  if (live.size || !hooked) return;
  // Nothing left to guard: give the signals back their default behaviour.
  hooked = false;
  process.off('exit', killAll);
  for (const s of SIGNALS) process.off(s, onSignal);
}

export function liveServerPids(): number[] {
  return [...live];
}

function killAll(): void {
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

/**
 * Whoever else listens to the signal (print mode, the session) ends the process in its own time and
 * the exit hook runs then; if nobody does, this listener took Node's default away, so it exits itself.
 */
function onSignal(signal: NodeJS.Signals): void {
  killAll();
  if (process.listenerCount(signal) <= 1) process.exit(128 + (constants.signals[signal] ?? 1));
}

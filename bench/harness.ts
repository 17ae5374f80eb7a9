import { readFileSync } from 'node:fs';

/** One printed benchmark figure: a measurement, its baseline from the same run, and the target. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** Baseline measured in the same run, and the resulting ratio value/baseline. */
  baseline?: { name: string; value: number };
  /** Human-readable target, e.g. "<= 2x node -e 0". */
  target?: string;
  /** Whether the target is met (undefined: no target). */
  ok?: boolean;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function timeMs(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * CPU time (user + system, ms) of the child processes this process has waited for, their own
 * children included (Linux /proc; undefined elsewhere). On a loaded machine a whole-process CPU
 * time is steadier than its wall time; 10 ms resolution, so it is averaged over many runs.
 */
export function childCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) * (1000 / 100);
  } catch {
    return undefined;
  }
}

/** Median wall time and mean child CPU time of `runs` runs of a child process after `warmup` unmeasured ones. */
export async function processMs(fn: () => Promise<unknown> | unknown, runs = 10, warmup = 2): Promise<{ wall: number; cpu: number | undefined }> {
  for (let i = 0; i < warmup; i++) await fn();
  const xs: number[] = [];
  const before = childCpuMs();
  for (let i = 0; i < runs; i++) xs.push(await timeMs(fn));
  const after = childCpuMs();
  return { wall: median(xs), cpu: before === undefined || after === undefined ? undefined : (after - before) / runs };
}

/** A wall-time row and, where CPU time is known, its CPU-time twin, both against `target`× the baseline's. */
export function ratioRows(
  name: string,
  m: { wall: number; cpu: number | undefined },
  base: { name: string; wall: number; cpu: number | undefined },
  factor: number | undefined,
): BenchRow[] {
  const target = factor === undefined ? undefined : `<= ${factor}x`;
  const rows: BenchRow[] = [
    {
      name,
      value: m.wall,
      unit: 'ms',
      baseline: { name: base.name, value: base.wall },
      target,
      ok: factor === undefined ? undefined : m.wall <= factor * base.wall,
    },
  ];
  if (m.cpu !== undefined && base.cpu !== undefined) {
    rows.push({
      name: `  CPU time`,
      value: m.cpu,
      unit: 'ms',
      baseline: { name: base.name, value: base.cpu },
      target,
      ok: factor === undefined ? undefined : m.cpu <= factor * base.cpu,
    });
  }
  return rows;
}

/** Median wall time of `runs` runs after `warmup` unmeasured ones. */
export async function medianMs(fn: () => Promise<unknown> | unknown, runs = 10, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(await timeMs(fn));
  return median(xs);
}

export function formatRow(r: BenchRow): string {
  const v = `${r.value.toFixed(r.value < 10 ? 2 : 1)} ${r.unit}`;
  const base = r.baseline ? `  vs ${r.baseline.name} ${r.baseline.value.toFixed(2)} ${r.unit} = ${(r.value / r.baseline.value).toFixed(2)}x` : '';
  const target = r.target ? `  target ${r.target}: ${r.ok ? 'met' : 'MISSED'}` : '';
  return `${r.name.padEnd(48)} ${v}${base}${target}`;
}

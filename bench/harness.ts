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

/** Median wall time of `runs` runs after `warmup` unmeasured ones. */
export async function medianMs(fn: () => Promise<unknown> | unknown, runs = 10, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(await timeMs(fn));
  return median(xs);
}

export function formatRow(r: BenchRow): string {
  const v = `${r.value.toFixed(r.value < 10 ? 2 : 1)} ${r.unit}`;
  const base = r.baseline
    ? `  vs ${r.baseline.name} ${r.baseline.value.toFixed(2)} ${r.unit} = ${(r.value / r.baseline.value).toFixed(2)}x`
    : '';
  const target = r.target ? `  target ${r.target}: ${r.ok ? 'met' : 'MISSED'}` : '';
  return `${r.name.padEnd(48)} ${v}${base}${target}`;
}

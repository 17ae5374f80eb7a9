/**
 * Human units, one convention for every view (session UI, print mode, review commands, report):
 * durations `850ms 1.2s 3m04s 2h05m`, tokens `850 12.3k 1.2M`, cost `$0.0123 $12.34`, bytes
 * `850 B 12.3 kB 1.2 MB`, ages `45s 12m 5h 3d` then a date. A missing value is `-`.
 */

/** 850ms, 1.2s, 3m04s, 2h05m. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  const v = Math.max(0, Math.round(ms));
  if (v < 1000) return `${v}ms`;
  // 59.95s would print as "60.0s": switch to minutes where one decimal rounds up to a minute.
  if (v < 59_950) return `${(v / 1000).toFixed(1)}s`;
  const s = Math.round(v / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${pad2(s % 60)}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${pad2(m % 60)}m`;
}

/** 850, 12.3k, 1.2M. */
export function formatTokens(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 999_950) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1e6).toFixed(1)}M`;
}

/** $0.0123 below a dollar (runs are cheap: four places show them apart), $12.34 above. */
export function formatCost(usd: number): string {
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;
export type ByteUnit = (typeof BYTE_UNITS)[number];

/** 850 B, 12.3 kB, 1.2 MB (decimal units); `unit` fixes the unit so figures side by side compare. */
export function formatBytes(bytes: number, unit?: ByteUnit): string {
  let i = unit ? BYTE_UNITS.indexOf(unit) : 0;
  // The next unit starts where this one's rounded figure would read 1000 (999.96 kB is 1.0 MB).
  const rollsOver = (k: number) => bytes >= 1000 ** (k + 1) - (k === 0 ? 0.5 : 0.05 * 1000 ** k);
  if (!unit) while (i < BYTE_UNITS.length - 1 && rollsOver(i)) i++;
  return i === 0 ? `${Math.round(bytes)} B` : `${(bytes / 1000 ** i).toFixed(1)} ${BYTE_UNITS[i]}`;
}

/** A ratio as a whole percentage; `-` when there is none. */
export function formatPercent(ratio: number | null): string {
  return ratio === null ? '-' : `${Math.round(ratio * 100)}%`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local date and time, `2025-01-31 14:05`. */
export function formatDateTime(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Short age for columns: 45s, 12m, 5h, 3d; older than 30 days the date, `Jul 23` or `Jul 2024`. */
export function formatAge(ts: number, now: number = Date.now()): string {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  if (s < 30 * 86_400) return `${Math.floor(s / 86_400)}d`;
  const d = new Date(ts);
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return `${MONTHS[d.getMonth()]} ${sameYear ? d.getDate() : d.getFullYear()}`;
}

/** `5m ago`, or the date when it is older than a month. */
export function formatAgo(ts: number, now?: number): string {
  const age = formatAge(ts, now);
  return /^\d/.test(age) ? `${age} ago` : age;
}

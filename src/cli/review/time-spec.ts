import { UserError } from '../../core/errors.js';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * A point in time given as an age (`30m`, `12h`, `7d`, `2w`: that long before `now`) or as an
 * ISO date or date-time (`2025-01-31`, `2025-01-31T14:00`, local time unless it has a zone).
 * `option` names the flag in the error message.
 */
export function parseTimeSpec(spec: string, option: string, now: number = Date.now()): number {
  const value = spec.trim();
  const age = /^(\d+(?:\.\d+)?)\s*([mhdw])$/i.exec(value);
  if (age) return now - Number(age[1]) * UNIT_MS[age[2]!.toLowerCase()]!;
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    // A bare date is local midnight (Date would read it as UTC).
    const ts = Date.parse(value.length === 10 ? `${value}T00:00` : value.replace(' ', 'T'));
    if (Number.isFinite(ts)) return ts;
  }
  throw new UserError(`${option} takes an age like 30m, 12h, 7d, 2w or a date like 2025-01-31, not "${spec}"`);
}

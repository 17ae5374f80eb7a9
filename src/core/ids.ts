import { randomBytes } from 'node:crypto';

/**
 * Time-sortable, prefix-friendly ids: a kind letter, 9 base36 chars of milliseconds, 6 random.
 * Sorting by id sorts by creation; users can type a short unique prefix (`baton show r_mf3k`).
 */
export function newId(kind: 'r' | 't' | 'a' | 'd' | 'q' | 'm'): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const rand = randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(-6);
  return `${kind}_${time}${rand}`;
}

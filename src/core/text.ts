/** One line of at most `max` characters: whitespace collapsed, `…` where cut (by code points, never mid-character). */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** At most `max` characters of `text`, marked where cut (prompt sections keep their line breaks). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(truncated)`;
}

/** `1 run`, `3 runs`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const MAX_WINDOW_LINES = 12;
const MIN_SIMILARITY = 0.35;

/**
 * Shows the file lines most like old_string, numbered, so the model can copy the exact text.
 * Scores each window of the file by the bigram similarity of its first few lines.
 */
export function closestLinesHint(text: string, oldString: string): string {
  const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
  const fileLines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const wanted = oldString.split('\n').map((l) => l.trim());
  while (wanted.length > 1 && wanted[0] === '') wanted.shift();
  const probe = wanted.slice(0, 5);
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < fileLines.length; i++) {
    let score = 0;
    for (let j = 0; j < probe.length && i + j < fileLines.length; j++) score += similarity(fileLines[i + j]!.trim(), probe[j]!);
    score /= probe.length;
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  if (best < 0 || bestScore < MIN_SIMILARITY) return 'No similar lines found; read the file with read_file and copy the text exactly.';
  const whitespaceOnly = collapse(text).includes(collapse(oldString));
  const shown = Math.min(Math.max(wanted.length, 1), MAX_WINDOW_LINES);
  const window = fileLines
    .slice(best, best + shown)
    .map((l, k) => `${String(best + k + 1).padStart(6)}\t${l}`)
    .join('\n');
  const lead = whitespaceOnly ? 'It differs from the file only in whitespace or indentation; the file has' : 'The most similar lines are';
  return `${lead} (lines ${best + 1}-${best + shown}):\n${window}\nCopy the exact text (without the line-number prefix) into old_string.`;
}

/** Dice coefficient over character bigrams: 1 for equal strings, 0 for nothing in common. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.slice(i, i + 2);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  let common = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      counts.set(g, n - 1);
      common++;
    }
  }
  return (2 * common) / (a.length + b.length - 2);
}

/** Small text helpers shared by the session UI's components and slash commands; units and oneLine are the program's one set. */
import { totalInput, type Usage } from '../../core/usage.js';
import type { PermissionMode } from '../../core/run.js';
import { oneLine } from '../../core/text.js';
import { formatCost, formatTokens } from '../../core/units.js';

export { oneLine, plural } from '../../core/text.js';
export { formatAgo, formatCost, formatDuration, formatTokens } from '../../core/units.js';

/** Share of all input tokens that were read from the prompt cache, as a whole percentage. */
export function cacheShare(u: Usage): number {
  const all = totalInput(u);
  return all === 0 ? 0 : Math.round((u.cacheReadTokens / all) * 100);
}

/** The first sentence (or line) of a reasoning paragraph, for one-line headers. */
export function firstSentence(text: string, max: number): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  const end = flat.search(/[.!?](\s|$)/);
  return oneLine(end > 0 ? flat.slice(0, end + 1) : flat, max);
}

/**
 * The last `lines` lines of `text`, each at most `width` columns (longer lines keep their end),
 * found by scanning from the end so the cost does not depend on the text's length.
 */
export function tailLines(text: string, lines: number, width: number): string[] {
  const out: string[] = [];
  let end = text.length;
  while (out.length < lines && end >= 0) {
    const start = text.lastIndexOf('\n', end - 1);
    const line = text.slice(start + 1, end);
    out.unshift(line.length > width ? `…${line.slice(line.length - width + 1)}` : line);
    if (start < 0) break;
    end = start;
  }
  return out;
}

/** The status line's text around the (coloured) mode: model · mode · tokens · cost · cache-read share. */
export function statusParts(model: string, mode: PermissionMode, usage: Usage, costUsd: number): [string, string, string] {
  const tokens = totalInput(usage) + usage.outputTokens;
  return [`${model} · `, mode, ` (shift-tab) · ${formatTokens(tokens)} tokens · ${formatCost(costUsd)} · cache ${cacheShare(usage)}%`];
}
/** One line for a context clearing, e.g. `context: cleared 4 old tool results (162k → 98k tokens)`. */
export function contextClearedLine(e: { tokensBefore: number; tokensAfter: number; cleared: number }): string {
  const k = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));
  return `context: cleared ${e.cleared} old tool result${e.cleared === 1 ? '' : 's'} (${k(e.tokensBefore)} → ${k(e.tokensAfter)} tokens)`;
}

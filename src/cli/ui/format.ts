/** Small text helpers shared by the session UI's components and slash commands. */
import { totalInput, type Usage } from '../../core/usage.js';
import type { PermissionMode } from '../../core/run.js';

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function formatCost(usd: number): string {
  return `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

/** Share of all input tokens that were read from the prompt cache, as a whole percentage. */
export function cacheShare(u: Usage): number {
  const all = totalInput(u);
  return all === 0 ? 0 : Math.round((u.cacheReadTokens / all) * 100);
}

/** First line of `text`, whitespace collapsed, cut to `max` characters with an ellipsis. */
export function oneLine(text: string, max: number): string {
  const line = text.trim().split('\n', 1)[0]!.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, Math.max(0, max - 1))}…` : line;
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

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** How long ago, in the largest whole unit: "42s", "5m", "3h", "2d". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** The status line's text around the (coloured) mode: model · mode · tokens · cost · cache-read share. */
export function statusParts(model: string, mode: PermissionMode, usage: Usage, costUsd: number): [string, string, string] {
  const tokens = totalInput(usage) + usage.outputTokens;
  return [`${model} · `, mode, ` (shift-tab) · ${formatTokens(tokens)} tokens · ${formatCost(costUsd)} · cache ${cacheShare(usage)}%`];
}

import type { ContentBlock } from './types.js';

/**
 * What goes between two text blocks of one turn so they read as two paragraphs: a blank line
 * (less whatever line breaks the first already ends with). The streamed text (client.ts) and
 * textOf use the same rule, so what is shown while streaming is what is stored.
 */
export function blockSeparator(before: string): string {
  if (!before || before.endsWith('\n\n')) return '';
  return before.endsWith('\n') ? '\n' : '\n\n';
}

/** The answer's text: its non-empty text blocks, separated by a blank line (for structured output, the JSON to parse). */
export const textOf = (content: readonly ContentBlock[] | readonly { type: string; text?: string }[]): string =>
  (content as readonly { type: string; text?: string }[]).reduce((out, b) => (b.type === 'text' && b.text ? out + blockSeparator(out) + b.text : out), '');

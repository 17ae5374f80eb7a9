import type { ContentBlock } from './types.js';

/** The answer's text: its text blocks joined (for structured output, the JSON to parse). */
export const textOf = (content: readonly ContentBlock[] | readonly { type: string; text?: string }[]): string =>
  (content as readonly { type: string; text?: string }[]).flatMap((b) => (b.type === 'text' ? [b.text ?? ''] : [])).join('');


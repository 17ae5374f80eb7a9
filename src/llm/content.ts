import type { ContentBlock } from './types.js';
import type Anthropic from '@anthropic-ai/sdk';

/** The answer's text: its text blocks joined (for structured output, the JSON to parse). */
export const textOf = (content: readonly ContentBlock[] | readonly { type: string; text?: string }[]): string =>
  (content as readonly { type: string; text?: string }[]).flatMap((b) => (b.type === 'text' ? [b.text ?? ''] : [])).join('');

/** The tool calls the model asked for, in order. */
export const toolUsesOf = (content: ContentBlock[]): Anthropic.ToolUseBlock[] =>
  content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');

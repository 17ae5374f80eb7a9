/**
 * The session's first frame, drawn with plain escape codes before ink and react are loaded (which
 * takes most of the start-up time): the same three lines ink then draws in their place. Keys typed
 * meanwhile wait in the terminal (raw mode, no echo) and reach the prompt once ink reads them.
 */
import type { PermissionMode } from '../../core/run.js';
import { emptyUsage } from '../../core/usage.js';
import { statusParts } from './format.js';

export const PROMPT_PLACEHOLDER = 'ask for a change, or /help';

const INVERSE = (s: string) => `\x1b[7m${s}\x1b[27m`;
const DIM = (s: string) => `\x1b[2m${s}\x1b[22m`;
const HIDE_CURSOR = '\x1b[?25l';
export const SHOW_CURSOR = '\x1b[?25h';
const LINES = 3;

/** The blank line, the empty prompt with its cursor, the status line (cut to the width). */
export function preFrame(model: string, mode: PermissionMode, columns: number): string {
  const status = statusParts(model, mode, emptyUsage(), 0).join('');
  const cut = status.length > columns - 1 ? `${status.slice(0, Math.max(0, columns - 2))}…` : status;
  return `${HIDE_CURSOR}\n> ${INVERSE(' ')}${DIM(PROMPT_PLACEHOLDER)}\n${DIM(cut)}\n`;
}

/** Moves back to the pre-frame's first line and clears it away, for ink to draw there. */
export const ERASE_PRE_FRAME = `\x1b[${LINES}A\r\x1b[J`;

/**
 * The session's first frame, drawn with plain escape codes before ink and react are loaded (which
 * takes most of the start-up time): the same three lines ink then draws in their place. Keys typed
 * meanwhile wait in the terminal (raw mode, no echo) and reach the prompt once ink reads them.
 */
import type { PermissionMode } from '../../core/run.js';
import { emptyUsage } from '../../core/usage.js';
import { makeStyle } from '../theme.js';
import { statusParts } from './format.js';

export const PROMPT_PLACEHOLDER = 'ask for a change, or /help';

// No colour here, only attributes, which NO_COLOR leaves alone.
const { inverse: INVERSE, dim: DIM } = makeStyle(false, true);
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

import type { PatternId } from './catalog.js';
import { clarify } from './clarify.js';
import { direct } from './direct.js';
import { parallel } from './parallel.js';
import { planExecute } from './plan-execute.js';
import { reviewLoop } from './review-loop.js';
import type { Pattern } from './types.js';

export const patterns: Record<PatternId, Pattern> = {
  direct,
  'plan-execute': planExecute,
  parallel,
  'review-loop': reviewLoop,
  clarify,
};

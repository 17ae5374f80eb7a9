/**
 * The text views the interactive session prints for /history, /why and /stats: the same
 * renderers the review commands use (the session loads this module on first use).
 */
export { renderHistory } from './history.js';
export { renderRunDetail } from './show.js';
export { renderStats } from './stats.js';

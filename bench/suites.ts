import type { BenchRow } from './harness.js';

type Suite = () => Promise<{ default: () => Promise<BenchRow[]> }>;

/** Each suite is its own module, loaded only when run. */
export const suites: Record<string, Suite> = {
  cli: () => import('./cli.js'),
  orchestrator: () => import('./orchestrator.js'),
  llm: () => import('./llm.js'),
  git: () => import('./git.js'),
  review: () => import('./review.js'),
  ui: () => import('./ui.js'),
  mcp: () => import('./mcp.js'),
  learning: () => import('./learning.js'),
};

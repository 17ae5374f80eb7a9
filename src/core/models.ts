/** Defaults: workers on a strong model, the orchestrator (decisions, revisions, analysis) on a cheaper one. */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_ORCHESTRATOR_MODEL = 'claude-haiku-5-5';

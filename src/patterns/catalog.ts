/**
 * The patterns the orchestrator may choose, with the one-line description it is shown.
 * Implementations live one per file beside this one; this catalog stays import-light so the
 * decision schema and prompts can use it without loading them.
 */
export const patternIds = ['direct', 'plan-execute', 'parallel', 'review-loop', 'clarify'] as const;
export type PatternId = (typeof patternIds)[number];

export const patternDescriptions: Record<PatternId, string> = {
  direct: 'one agent with the full tool set; questions, explanations and small edits',
  'plan-execute': 'a planner writes steps, each runs in its own agent; multi-step changes',
  parallel: 'up to N read-only workers (or writers on disjoint files) at once, then one aggregation; broad research, independent subtasks',
  'review-loop': 'a coder, then a reviewer that reads the diff and may run tests, repeated until approved; changes with checkable quality',
  clarify: 'ask the user first, then decide again with the answer; ambiguous requests',
};

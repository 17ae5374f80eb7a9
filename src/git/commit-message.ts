/** What a run's commit message is drawn from. */
export interface RunSummary {
  prompt: string;
  result?: string | undefined;
}

export const BATON_CO_AUTHOR = 'baton <baton@noreply.invalid>';

const SUBJECT_MAX = 72;
const BODY_MAX = 500;

/** First match wins: a request to fix a failing test is a fix. */
const TYPE_RULES: [type: string, pattern: RegExp][] = [
  ['fix', /\b(fix(es|ed)?|bug|broken|crash(es)?|error|regression)\b/i],
  ['docs', /\b(docs?|documentation|readme|comments?)\b/i],
  ['test', /\b(tests?|specs?|coverage)\b/i],
  ['refactor', /\b(refactor|rename|clean ?up|simplify|extract|restructure)\b/i],
  ['perf', /\b(perf|performance|faster|speed up|optimi[sz]e)\b/i],
  ['feat', /\b(add|implement|create|support|introduce|new)\b/i],
];

/**
 * A Conventional Commits message for a run: `<type>: <the request>`, the start of the run's
 * answer as body, and trailers naming the run and baton as co-author.
 */
export function conventionalCommitMessage(runId: string, run: RunSummary): { subject: string; message: string } {
  const request = run.prompt
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(please|can you|could you)\s+/i, '');
  const type = TYPE_RULES.find(([, pattern]) => pattern.test(request))?.[0] ?? 'chore';
  // "fix: fix the parser" says it twice.
  const description = request.replace(type === 'fix' ? /^fix(es)?\s+/i : /^$/, '').replace(/[.!?\s]+$/, '') || 'changes';
  const subject = truncate(`${type}: ${lowerFirst(description)}`, SUBJECT_MAX);
  const body = truncate(
    (run.result ?? '')
      .trim()
      .split(/\n\s*\n/)[0]
      ?.trim() ?? '',
    BODY_MAX,
  );
  const trailers = `Baton-Run: ${runId}\nCo-authored-by: ${BATON_CO_AUTHOR}`;
  return { subject, message: `${[subject, body, trailers].filter(Boolean).join('\n\n')}\n` };
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

function lowerFirst(s: string): string {
  // Keep acronyms and identifiers ("README", "CLI") as written.
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

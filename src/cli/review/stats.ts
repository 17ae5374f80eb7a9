import type { Db } from '../../store/db.js';
import { computeStats, type Stats } from '../../store/views/stats.js';
import { formatCost, formatDateTime, formatDuration, formatFeedback, formatPercent, formatTokens, makeStyle, table, wrap, type ViewOptions } from './format.js';

export interface StatsOptions extends ViewOptions {
  allProjects?: boolean | undefined;
  since?: number | undefined;
}

const successRate = (p: { successes: number; analysed: number }) => (p.analysed ? p.successes / p.analysed : null);
const share = (s: Stats) => (s.cost.totalUsd > 0 ? s.cost.orchestratorUsd / s.cost.totalUsd : null);

function load(db: Db, project: string, opts: StatsOptions): Stats {
  return computeStats(db, { project: opts.allProjects ? undefined : project, since: opts.since });
}

/** Per pattern, per role, and the orchestrator's share of cost, as text. */
export function renderStats(db: Db, project: string, opts: StatsOptions = {}): string {
  const s = load(db, project, opts);
  const style = makeStyle(opts.color);
  const width = opts.width ?? 80;
  const scope = [
    opts.allProjects ? 'all projects' : project,
    `${s.runs} run${s.runs === 1 ? '' : 's'}`,
    ...(opts.since === undefined ? [] : [`since ${formatDateTime(opts.since)}`]),
    `${formatCost(s.cost.totalUsd)} in all`,
  ];
  if (!s.runs) return `${scope.join(' · ')}\nno runs in this period; try a longer --since`;
  const patterns = table(
    [
      { header: 'PATTERN' },
      { header: 'RUNS', align: 'right' },
      { header: 'SUCCESS', align: 'right' },
      { header: 'MEAN', align: 'right' },
      { header: 'P90', align: 'right' },
      { header: 'COST/RUN', align: 'right' },
      { header: 'TOK/RUN', align: 'right' },
      { header: 'FEEDBACK' },
    ],
    s.patterns.map((p) => ({
      cells: [
        p.pattern,
        String(p.runs),
        formatPercent(successRate(p)),
        formatDuration(p.meanDurationMs),
        formatDuration(p.p90DurationMs),
        formatCost(p.meanCostUsd),
        formatTokens(p.meanTokens),
        formatFeedback(p.feedbackGood, p.feedbackBad) || '-',
      ],
    })),
    { width, style },
  );
  const roles = s.roles.length
    ? table(
        [
          { header: 'ROLE' },
          { header: 'CALLS', align: 'right' },
          { header: 'FAILED', align: 'right' },
          { header: 'RETRIES', align: 'right' },
          { header: 'MEAN', align: 'right' },
          { header: 'COST', align: 'right' },
        ],
        s.roles.map((r) => ({
          cells: [
            r.agentFile ? `${r.role} (agent file)` : r.role,
            String(r.calls),
            String(r.failures),
            String(r.retries),
            formatDuration(r.meanDurationMs),
            formatCost(r.costUsd),
          ],
        })),
        { width, style },
      )
    : 'no agent calls recorded';
  const orchestrator = `orchestrator ${formatCost(s.cost.orchestratorUsd)} of ${formatCost(s.cost.totalUsd)} (${formatPercent(share(s))}) for decisions and post-run analyses; workers ${formatCost(s.cost.workersUsd)}`;
  const prose = (text: string, color = (t: string) => t) => wrap(text, width).map(color);
  return [
    ...prose(scope.join(' · '), style.dim),
    '',
    patterns,
    ...prose('success: share of analysed runs whose outcome was success; cost and tokens include the analysis', style.dim),
    '',
    roles,
    '',
    ...prose(orchestrator),
  ].join('\n');
}

export function statsJson(db: Db, project: string, opts: StatsOptions) {
  const s = load(db, project, opts);
  return {
    scope: { project: opts.allProjects ? null : project, since: opts.since === undefined ? null : new Date(opts.since).toISOString() },
    runs: s.runs,
    cost: { ...s.cost, orchestratorShare: share(s) },
    patterns: s.patterns.map(({ feedbackGood, feedbackBad, ...p }) => ({
      ...p,
      successRate: successRate(p),
      feedback: { good: feedbackGood, bad: feedbackBad, balance: feedbackGood - feedbackBad },
    })),
    roles: s.roles,
  };
}

// ---------------------------------------------------------------- Prometheus exposition text

const escapeLabel = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

/** The same figures in the Prometheus text exposition format (version 0.0.4), one family at a time. */
export function statsPrometheus(db: Db, project: string, opts: StatsOptions): string {
  const s = load(db, project, opts);
  const base: Record<string, string> = opts.allProjects ? {} : { project };
  const lines: string[] = [];
  type Sample = { suffix?: string; labels?: Record<string, string>; value: number | null };
  const family = (name: string, type: 'gauge' | 'summary', help: string, samples: Sample[]) => {
    const present = samples.filter((x) => x.value !== null && Number.isFinite(x.value));
    if (!present.length) return;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const x of present) {
      const labels = Object.entries({ ...base, ...x.labels }).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
      lines.push(`${name}${x.suffix ?? ''}${labels.length ? `{${labels.join(',')}}` : ''} ${x.value}`);
    }
  };
  const perPattern = (value: (p: Stats['patterns'][number]) => number | null) => s.patterns.map((p) => ({ labels: { pattern: p.pattern }, value: value(p) }));
  const perRole = (value: (r: Stats['roles'][number]) => number) => s.roles.map((r) => ({ labels: { role: r.role }, value: value(r) }));

  family(
    'baton_runs',
    'gauge',
    'Runs recorded, by pattern.',
    perPattern((p) => p.runs),
  );
  family(
    'baton_run_outcomes',
    'gauge',
    'Analysed runs by pattern and outcome.',
    s.patterns.flatMap((p) =>
      (['success', 'partial', 'failure'] as const).map((outcome) => ({
        labels: { pattern: p.pattern, outcome },
        value: { success: p.successes, partial: p.partials, failure: p.failures }[outcome],
      })),
    ),
  );
  family('baton_run_success_ratio', 'gauge', 'Successes over analysed runs, by pattern.', perPattern(successRate));
  family(
    'baton_run_duration_seconds',
    'summary',
    'Wall time of finished runs, by pattern.',
    s.patterns.flatMap((p): Sample[] => [
      { labels: { pattern: p.pattern, quantile: '0.9' }, value: p.p90DurationMs === null ? null : p.p90DurationMs / 1000 },
      { suffix: '_sum', labels: { pattern: p.pattern }, value: ((p.meanDurationMs ?? 0) * p.finished) / 1000 },
      { suffix: '_count', labels: { pattern: p.pattern }, value: p.finished },
    ]),
  );
  family(
    'baton_run_cost_usd_mean',
    'gauge',
    'Mean cost of a run in US dollars (analysis included), by pattern.',
    perPattern((p) => p.meanCostUsd),
  );
  family(
    'baton_run_tokens_mean',
    'gauge',
    'Mean tokens of a run (all four kinds, analysis included), by pattern.',
    perPattern((p) => p.meanTokens),
  );
  family(
    'baton_feedback',
    'gauge',
    'Feedback verdicts, by pattern.',
    s.patterns.flatMap((p) => [
      { labels: { pattern: p.pattern, verdict: 'good' }, value: p.feedbackGood },
      { labels: { pattern: p.pattern, verdict: 'bad' }, value: p.feedbackBad },
    ]),
  );
  family(
    'baton_agent_calls',
    'gauge',
    'Sub-agent calls, by role.',
    perRole((r) => r.calls),
  );
  family(
    'baton_agent_call_failures',
    'gauge',
    'Sub-agent calls that failed, by role.',
    perRole((r) => r.failures),
  );
  family(
    'baton_agent_call_retries',
    'gauge',
    'API retries within sub-agent calls, by role.',
    perRole((r) => r.retries),
  );
  family('baton_cost_usd', 'gauge', 'Cost in US dollars: the orchestrator (decisions and analyses) and the workers.', [
    { labels: { part: 'orchestrator' }, value: s.cost.orchestratorUsd },
    { labels: { part: 'workers' }, value: s.cost.workersUsd },
  ]);
  family('baton_orchestrator_cost_share', 'gauge', "The orchestrator's share of all cost (0..1).", [{ value: share(s) }]);
  return `${lines.join('\n')}\n`;
}

/**
 * `baton report`: one self-contained HTML page (inline CSS and SVG, no scripts, no external
 * resources) that opens offline: outcomes per pattern over time, cost per pattern, and the
 * timeline of one run as a Gantt chart of its agent calls.
 */
import type { Db } from '../../store/db.js';
import { outcomesOverTime, type OutcomeBucket } from '../../store/views/outcomes-over-time.js';
import { getRunView, type RunView } from '../../store/views/run-view.js';
import { computeStats, type Stats } from '../../store/views/stats.js';
import { formatCost, formatDateTime, formatDuration, formatPercent, formatTokens, oneLine } from './format.js';
import { totalTokens } from './history.js';

export interface ReportOptions {
  project: string;
  allProjects?: boolean | undefined;
  since?: number | undefined;
  /** The run whose timeline is drawn (already resolved); none: no timeline section. */
  runId?: string | undefined;
  now?: number | undefined;
}

const DAY = 86_400_000;
const COLORS = {
  success: '#2e7d32',
  partial: '#f9a825',
  failure: '#c62828',
  unknown: '#9e9e9e',
  completed: '#1565c0',
  failed: '#c62828',
  cancelled: '#9e9e9e',
  executing: '#f9a825',
  ready: '#bdbdbd',
  tool: '#0d2b4d',
  decision: '#6a1b9a',
  question: '#00838f',
} as const;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (n: number) => (Math.round(n * 10) / 10).toString();
const day = (ts: number) => formatDateTime(ts).slice(0, 10);

// ---------------------------------------------------------------- outcomes per pattern over time

/** Re-buckets daily rows into days, weeks or 30-day months so a chart has at most about 60 bars. */
function rebucket(rows: OutcomeBucket[]): { size: number; rows: OutcomeBucket[] } {
  if (!rows.length) return { size: DAY, rows };
  const first = Math.min(...rows.map((r) => r.bucket));
  const last = Math.max(...rows.map((r) => r.bucket));
  const size = last - first <= 60 * DAY ? DAY : last - first <= 420 * DAY ? 7 * DAY : 30 * DAY;
  const merged = new Map<string, OutcomeBucket>();
  for (const r of rows) {
    const bucket = first + Math.floor((r.bucket - first) / size) * size;
    const key = `${r.pattern}\u0000${bucket}`;
    const m = merged.get(key) ?? { pattern: r.pattern, bucket, success: 0, partial: 0, failure: 0, unknown: 0, costUsd: 0 };
    m.success += r.success;
    m.partial += r.partial;
    m.failure += r.failure;
    m.unknown += r.unknown;
    m.costUsd += r.costUsd;
    merged.set(key, m);
  }
  return { size, rows: [...merged.values()] };
}

function outcomesChart(buckets: OutcomeBucket[], stats: Stats): string {
  const { size, rows } = rebucket(buckets);
  if (!rows.length) return '<p class="empty">No runs in this period.</p>';
  const first = Math.min(...rows.map((r) => r.bucket));
  const last = Math.max(...rows.map((r) => r.bucket));
  const count = Math.round((last - first) / size) + 1;
  const width = 960;
  const left = 170;
  const rowH = 64;
  const barArea = 46;
  const step = (width - left - 10) / count;
  const patterns = stats.patterns.map((p) => p.pattern);
  const parts: string[] = [];
  patterns.forEach((pattern, i) => {
    const y0 = i * rowH + 8;
    const mine = rows.filter((r) => r.pattern === pattern);
    const max = Math.max(1, ...mine.map((r) => r.success + r.partial + r.failure + r.unknown));
    const p = stats.patterns.find((s) => s.pattern === pattern)!;
    parts.push(
      `<text x="0" y="${y0 + 18}" class="label">${esc(pattern)}</text>`,
      `<text x="0" y="${y0 + 34}" class="small">${p.runs} runs · ${formatPercent(p.analysed ? p.successes / p.analysed : null)} success</text>`,
      `<text x="${left - 6}" y="${y0 + 10}" class="small" text-anchor="end">${max}</text>`,
      `<line x1="${left}" x2="${width - 10}" y1="${y0 + barArea}" y2="${y0 + barArea}" class="axis"/>`,
    );
    for (const r of mine) {
      const x = left + Math.round((r.bucket - first) / size) * step;
      let y = y0 + barArea;
      for (const key of ['success', 'partial', 'failure', 'unknown'] as const) {
        const h = (r[key] / max) * barArea;
        if (h <= 0) continue;
        y -= h;
        parts.push(
          `<rect x="${num(x + 0.5)}" y="${num(y)}" width="${num(Math.max(1, step - 1))}" height="${num(h)}" fill="${COLORS[key]}"><title>${esc(
            `${pattern}, ${day(r.bucket)}: ${r[key]} ${key}`,
          )}</title></rect>`,
        );
      }
    }
  });
  const axisY = patterns.length * rowH + 8;
  for (const [ts, anchor] of [
    [first, 'start'],
    [first + Math.floor(count / 2) * size, 'middle'],
    [last, 'end'],
  ] as const) {
    const x = left + ((ts - first) / size) * step + (anchor === 'end' ? step : 0);
    parts.push(`<text x="${num(x)}" y="${axisY + 6}" class="small" text-anchor="${anchor}">${day(ts)}</text>`);
  }
  const unit = size === DAY ? 'day' : size === 7 * DAY ? 'week' : '30 days';
  const legend = (['success', 'partial', 'failure', 'unknown'] as const)
    .map((k) => `<span><i style="background:${COLORS[k]}"></i>${k === 'unknown' ? 'not analysed' : k}</span>`)
    .join('');
  return `<p class="legend">${legend} <span class="small">one bar per ${unit}</span></p>
<svg class="chart" id="outcomes" viewBox="0 0 ${width} ${axisY + 14}" width="${width}" height="${axisY + 14}" role="img" aria-label="Outcomes per pattern over time">${parts.join('')}</svg>`;
}

// ---------------------------------------------------------------- cost per pattern

function costChart(stats: Stats): string {
  if (!stats.patterns.length) return '<p class="empty">No runs in this period.</p>';
  const width = 960;
  const left = 170;
  const rowH = 26;
  const max = Math.max(...stats.patterns.map((p) => p.totalCostUsd), 1e-9);
  const bars = stats.patterns
    .map((p, i) => {
      const y = i * rowH + 4;
      const w = Math.max(1, (p.totalCostUsd / max) * (width - left - 330));
      return `<text x="0" y="${y + 15}" class="label">${esc(p.pattern)}</text><rect x="${left}" y="${y}" width="${num(w)}" height="${rowH - 8}" fill="${COLORS.completed}"><title>${esc(
        `${p.pattern}: ${formatCost(p.totalCostUsd)}`,
      )}</title></rect><text x="${num(left + w + 8)}" y="${y + 14}" class="small">${formatCost(p.totalCostUsd)} total · ${formatCost(p.meanCostUsd)}/run · ${formatTokens(p.meanTokens)} tokens/run</text>`;
    })
    .join('');
  const height = stats.patterns.length * rowH + 6;
  const share = stats.cost.totalUsd > 0 ? stats.cost.orchestratorUsd / stats.cost.totalUsd : null;
  return `<svg class="chart" id="cost" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Cost per pattern">${bars}</svg>
<p class="small">Orchestrator (decisions and post-run analyses): ${formatCost(stats.cost.orchestratorUsd)} of ${formatCost(stats.cost.totalUsd)} (${formatPercent(share)}); workers ${formatCost(stats.cost.workersUsd)}. Costs include the analysis of each run.</p>`;
}

function statsTable(stats: Stats): string {
  const head = ['pattern', 'runs', 'success', 'mean time', 'p90 time', 'cost/run', 'tokens/run', 'feedback'];
  const body = stats.patterns
    .map((p) =>
      [
        esc(p.pattern),
        p.runs,
        formatPercent(p.analysed ? p.successes / p.analysed : null),
        formatDuration(p.meanDurationMs),
        formatDuration(p.p90DurationMs),
        formatCost(p.meanCostUsd),
        formatTokens(p.meanTokens),
        `+${p.feedbackGood} / -${p.feedbackBad}`,
      ]
        .map((c) => `<td>${c}</td>`)
        .join(''),
    )
    .map((r) => `<tr>${r}</tr>`)
    .join('');
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

// ---------------------------------------------------------------- the timeline of one run

function ganttChart(record: RunView, now: number): string {
  const r = record.summary;
  const start = r.startedAt;
  const end = Math.max(
    r.finishedAt ?? now,
    ...record.agentCalls.map((a) => a.finishedAt ?? a.startedAt),
    ...record.decisions.map((d) => d.createdAt + d.durationMs),
  );
  const span = Math.max(1, end - start);
  const width = 960;
  const left = 230;
  const plot = width - left - 20;
  const rowH = 24;
  const x = (ts: number) => left + ((ts - start) / span) * plot;
  const parts: string[] = [];

  // Row 0: decisions and questions asked outside an agent.
  parts.push(`<text x="0" y="17" class="label">orchestrator</text>`);
  for (const d of record.decisions) {
    const cx = x(d.createdAt);
    parts.push(
      `<polygon points="${num(cx)},4 ${num(cx + 7)},12 ${num(cx)},20 ${num(cx - 7)},12" fill="${COLORS.decision}"><title>${esc(
        `decision ${d.seq} (${d.kind}) → ${d.pattern}: ${oneLine(d.reasoning, 300)}`,
      )}</title></polygon>`,
    );
  }
  record.agentCalls.forEach((a, i) => {
    const y = (i + 1) * rowH;
    const x1 = x(a.startedAt);
    const x2 = x(a.finishedAt ?? end);
    const step = record.planSteps.find((s) => s.agentCallId === a.id);
    const name = step ? `${a.role} · step ${step.idx}` : a.label ? `${a.role} · ${a.label}` : a.role;
    const color = COLORS[a.status as keyof typeof COLORS] ?? COLORS.ready;
    parts.push(
      `<text x="0" y="${y + 16}" class="label">${esc(oneLine(name, 26))}</text>`,
      `<rect class="bar" x="${num(x1)}" y="${y + 3}" width="${num(Math.max(2, x2 - x1))}" height="${rowH - 6}" rx="3" fill="${color}"><title>${esc(
        `${name} (${a.model}) ${a.status}, ${formatDuration(a.finishedAt === null ? null : a.finishedAt - a.startedAt)}, ${formatTokens(totalTokens(a))} tokens, ${formatCost(a.costUsd)}${a.retries ? `, ${a.retries} retries` : ''}${a.error ? `: ${a.error}` : ''}`,
      )}</title></rect>`,
    );
    for (const t of record.toolCalls.filter((t) => t.agentCallId === a.id)) {
      const tx = x(t.startedAt);
      const tw = Math.max(2, x(t.finishedAt ?? t.startedAt) - tx);
      parts.push(
        `<rect x="${num(tx)}" y="${y + 7}" width="${num(tw)}" height="${rowH - 14}" fill="${t.isError ? COLORS.failure : COLORS.tool}" opacity="0.8"><title>${esc(
          `${t.name} ${t.status}${t.durationMs === null ? '' : `, ${formatDuration(t.durationMs)}`}`,
        )}</title></rect>`,
      );
    }
  });
  for (const q of record.questions) {
    const row = record.agentCalls.findIndex((a) => a.id === q.agentCallId) + 1;
    parts.push(
      `<circle cx="${num(x(q.askedAt))}" cy="${row * rowH + 12}" r="5" fill="${COLORS.question}"><title>${esc(
        `question: ${q.question}${q.answer === null ? ' (unanswered)' : ` → ${q.answer}`}`,
      )}</title></circle>`,
    );
  }
  const axisY = (record.agentCalls.length + 1) * rowH + 6;
  parts.push(`<line x1="${left}" x2="${left + plot}" y1="${axisY}" y2="${axisY}" class="axis"/>`);
  for (let k = 0; k <= 4; k++) {
    const ts = start + (span * k) / 4;
    parts.push(
      `<text x="${num(x(ts))}" y="${axisY + 14}" class="small" text-anchor="${k === 0 ? 'start' : k === 4 ? 'end' : 'middle'}">+${formatDuration(ts - start)}</text>`,
    );
  }
  const height = axisY + 20;
  const legend = [
    ['decision', COLORS.decision],
    ['completed', COLORS.completed],
    ['failed', COLORS.failed],
    ['running', COLORS.executing],
    ['tool call', COLORS.tool],
    ['question', COLORS.question],
  ]
    .map(([k, c]) => `<span><i style="background:${c}"></i>${k}</span>`)
    .join('');
  const decisions = record.decisions.map((d) => `<li><b>decision ${d.seq}</b> (${esc(d.kind)}) → <b>${esc(d.pattern)}</b>: ${esc(d.reasoning)}</li>`).join('');
  const took = r.finishedAt === null ? `for ${formatDuration(now - r.startedAt)} so far` : formatDuration(r.finishedAt - r.startedAt);
  return `<p><b>${esc(r.id)}</b> · ${esc(r.status)}${r.outcome ? ` · ${esc(r.outcome)}` : ''} · ${took} · ${formatCost(r.costUsd)} · started ${formatDateTime(r.startedAt)}</p>
<p class="prompt">${esc(oneLine(r.prompt, 600))}</p>
<p class="legend">${legend}</p>
<svg class="chart" id="timeline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Timeline of run ${esc(r.id)}">${parts.join('')}</svg>
<ul>${decisions}</ul>`;
}

// ---------------------------------------------------------------- the page

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#212121;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e0e0e0;padding-bottom:4px}
.small,.meta{color:#616161;font-size:12px}.label{font-size:13px;fill:#212121}text.small{fill:#616161}
.axis{stroke:#bdbdbd;stroke-width:1}.chart{display:block;max-width:100%;height:auto}
.legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}
table{border-collapse:collapse;font-size:13px}th,td{padding:3px 10px;text-align:right;border-bottom:1px solid #eeeeee}
th:first-child,td:first-child{text-align:left}.prompt{background:#f5f5f5;padding:8px;white-space:pre-wrap}.empty{color:#757575}`;

/** The whole page as one string. */
export function buildReport(db: Db, opts: ReportOptions): string {
  const now = opts.now ?? Date.now();
  const scope = { project: opts.allProjects ? undefined : opts.project, since: opts.since };
  const stats = computeStats(db, scope);
  const buckets = outcomesOverTime(db, scope, DAY);
  const record = opts.runId ? getRunView(db, opts.runId) : undefined;
  const where = opts.allProjects ? 'all projects' : opts.project;
  const period = opts.since === undefined ? 'all time' : `since ${formatDateTime(opts.since)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>baton report: ${esc(where)}</title><style>${CSS}</style></head>
<body>
<h1>baton report</h1>
<p class="meta">${esc(where)} · ${period} · ${stats.runs} runs · ${formatCost(stats.cost.totalUsd)} · generated ${formatDateTime(now)}</p>
<h2>Outcomes per pattern over time</h2>
${outcomesChart(buckets, stats)}
<h2>Cost per pattern</h2>
${costChart(stats)}
${statsTable(stats)}
<h2>Timeline of a run</h2>
${record ? ganttChart(record, now) : '<p class="empty">No run chosen (use --run).</p>'}
</body></html>
`;
}

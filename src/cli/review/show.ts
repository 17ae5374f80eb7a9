import { UserError } from '../../core/errors.js';
import type { Db } from '../../store/db.js';
import { paintDiff } from '../render/diff-lines.js';
import {
  getRunDiffs,
  getRunView,
  getThreadView,
  type AgentCallView,
  type DecisionView,
  type QuestionView,
  type RunView,
  type ToolCallView,
} from '../../store/views/run-view.js';
import { getRunSummary, listRuns } from '../../store/views/history.js';
import type { Spend } from '../../store/views/scope.js';
import {
  formatAgo,
  formatCost,
  formatDateTime,
  formatDuration,
  formatTokens,
  makeStyle,
  oneLine,
  statusColor,
  visibleLength,
  wrap,
  type Style,
  type ViewOptions,
} from './format.js';
import { isoTime, renderRunTable, runDuration, runEntry, tokenBuckets, totalTokens, type RunEntry } from './history.js';
import { readDecision, readObject, readStopReasons, readStringList, readThinking, type StoredDecision } from './stored-json.js';

// ---------------------------------------------------------------- a tiny tree printer

interface Detail {
  label: string;
  text: string;
  maxLines?: number;
}

interface TreeNode {
  at: number;
  /** Parts of the head line, joined with ` · ` and continued on the next line where the width ends. */
  head: string[];
  details?: Detail[];
  children?: TreeNode[];
}

function renderTree(nodes: TreeNode[], prefix: string, width: number, style: Style, out: string[]): void {
  nodes.forEach((node, i) => {
    const last = i === nodes.length - 1;
    const inner = prefix + (last ? '   ' : '│  ');
    const detailPrefix = inner + (node.children?.length ? '│  ' : '   ');
    let line = style.dim(prefix + (last ? '└─ ' : '├─ '));
    node.head.forEach((part, k) => {
      if (k > 0 && visibleLength(line) + 3 + visibleLength(part) > width) {
        out.push(line);
        line = `${style.dim(detailPrefix)}${part}`;
      } else line += k ? ` · ${part}` : part;
    });
    out.push(line);
    const labelWidth = Math.max(0, ...(node.details ?? []).map((d) => d.label.length));
    for (const d of node.details ?? []) {
      const lines = wrap(d.text, width - detailPrefix.length - labelWidth - 1, d.maxLines);
      lines.forEach((line, k) => {
        const label = (k === 0 ? d.label : '').padEnd(labelWidth);
        out.push(`${style.dim(detailPrefix)}${style.dim(label)} ${line}`);
      });
    }
    renderTree(node.children ?? [], inner, width, style, out);
  });
}

// ---------------------------------------------------------------- run detail

const offset = (at: number, start: number) => `+${formatDuration(at - start)}`;
const tokensOf = (r: Spend) => `${formatTokens(totalTokens(r))} tok`;

function toolHead(t: ToolCallView, start: number, style: Style): string[] {
  const input = readObject(t.inputJson) ?? {};
  const arg = ['command', 'path', 'pattern', 'question'].map((k) => input[k]).find((v) => typeof v === 'string') as string | undefined;
  const failed = t.isError || t.status === 'failed' || t.status === 'denied';
  const parts = [
    `${style.dim(offset(t.startedAt, start))} ${t.name}${arg ? ` ${oneLine(arg, 48)}` : ''}`,
    t.durationMs === null ? t.status : formatDuration(t.durationMs),
  ];
  if (t.status === 'denied') parts.push(style.error('denied'));
  else if (failed) parts.push(style.error(`error: ${oneLine(t.output ?? '', 40)}`));
  return parts;
}

function questionNode(q: QuestionView, start: number, style: Style): TreeNode {
  const options = readStringList(q.optionsJson);
  const answer =
    q.answer === null
      ? style.warn('unanswered')
      : `answered ${JSON.stringify(q.answer)}${q.answeredAt ? ` after ${formatDuration(q.answeredAt - q.askedAt)}` : ''}`;
  return {
    at: q.askedAt,
    head: [`${style.dim(offset(q.askedAt, start))} ${style.accent('question')}`, answer],
    details: [{ label: 'asked', text: q.question }, ...(options?.length ? [{ label: 'options', text: options.join(' | ') }] : [])],
  };
}

function decisionNode(d: DecisionView, parsed: StoredDecision | undefined, lessons: Map<number, string>, start: number, style: Style): TreeNode {
  const confidence = d.confidence ?? parsed?.confidence;
  const head = [
    `${style.dim(offset(d.createdAt, start))} ${style.bold(`decision ${d.seq}`)} ${d.kind} → ${style.accent(d.pattern)}`,
    ...(confidence === undefined || confidence === null ? [] : [`confidence ${confidence.toFixed(2)}`]),
    tokensOf(d),
    formatCost(d.costUsd),
    formatDuration(d.durationMs),
  ];
  const details: Detail[] = [];
  if (d.fallbackCause) details.push({ label: 'fallback', text: d.fallbackCause });
  details.push({ label: 'reasoning', text: d.reasoning || parsed?.reasoning || '(none recorded)' });
  if (!parsed) details.push({ label: 'note', text: 'the stored decision could not be read; showing its columns only' });
  const expectations = parsed?.expectations;
  if (expectations !== undefined) details.push({ label: 'expects', text: Array.isArray(expectations) ? expectations.join('; ') : expectations });
  for (const id of parsed?.lessonsUsed ?? []) {
    details.push({ label: 'lesson', text: `#${id} ${lessons.get(id) ?? '(deleted)'}`, maxLines: 2 });
  }
  for (const a of parsed?.agents ?? []) {
    const params = [a.model, a.effort && `effort ${a.effort}`, a.maxTurns !== undefined && `max ${a.maxTurns} turns`].filter(Boolean);
    details.push({ label: 'agent', text: `${a.role}${params.length ? ` (${params.join(', ')})` : ''}: ${a.instructions}`, maxLines: 3 });
  }
  return { at: d.createdAt, head, details };
}

function agentNode(a: AgentCallView, record: RunView, start: number, style: Style): TreeNode {
  const step = record.planSteps.find((s) => s.agentCallId === a.id);
  const head = [
    `${style.dim(offset(a.startedAt, start))} ${style.bold(a.role)}${a.label ? ` (${a.label})` : ''}`,
    statusColor(style, a.status)(a.status),
    formatDuration(a.finishedAt === null ? null : a.finishedAt - a.startedAt),
    tokensOf(a),
    formatCost(a.costUsd),
    ...(a.retries ? [style.warn(`${a.retries} ${a.retries === 1 ? 'retry' : 'retries'}`)] : []),
  ];
  const details: Detail[] = [{ label: 'model', text: `${a.model}, ${a.turns} turn${a.turns === 1 ? '' : 's'}` }];
  if (a.agentFile) details.push({ label: 'agent', text: `agent file ${a.agentFile} (sha256 ${(a.agentFileHash ?? '').slice(0, 12)})` });
  if (step) details.push({ label: 'step', text: `${step.idx}: ${step.title} (${step.status})`, maxLines: 2 });
  details.push({ label: 'instructions', text: a.instructions || '(none)', maxLines: 3 });
  const stops = readStopReasons(a.stopReasons);
  if (stops.length) details.push({ label: 'stops', text: describeStops(stops), maxLines: 3 });
  if (a.error) details.push({ label: 'error', text: a.error, maxLines: 3 });
  if (a.result) details.push({ label: 'result', text: a.result, maxLines: 4 });
  // Thinking in full: the session shows it collapsed, the record keeps all of it.
  for (const thought of readThinking(a.messagesJson)) details.push({ label: 'thinking', text: thought });
  const children: TreeNode[] = [
    ...record.toolCalls.filter((t) => t.agentCallId === a.id).map((t): TreeNode => ({ at: t.startedAt, head: toolHead(t, start, style) })),
    ...record.questions.filter((q) => q.agentCallId === a.id).map((q) => questionNode(q, start, style)),
  ].sort((x, y) => x.at - y.at);
  return { at: a.startedAt, head, details, children };
}

/** Turn by turn, repeats counted: "tool_use ×3, max_tokens, end_turn". */
function describeStops(stops: string[]): string {
  const runs: [string, number][] = [];
  for (const s of stops) {
    const last = runs.at(-1);
    if (last && last[0] === s) last[1]++;
    else runs.push([s, 1]);
  }
  return runs.map(([s, n]) => (n > 1 ? `${s} ×${n}` : s)).join(', ');
}

/** Cost parts of one run: runs.cost_usd covers workers and decisions; the analysis is added on top. */
function costSplit(record: RunView) {
  const decisionsUsd = record.decisions.reduce((s, d) => s + d.costUsd, 0);
  const analysisUsd = record.analysis?.costUsd ?? 0;
  const totalUsd = record.summary.costUsd;
  return { totalUsd, workersUsd: totalUsd - decisionsUsd - analysisUsd, decisionsUsd, analysisUsd };
}

function loadRecord(db: Db, runId: string): RunView {
  const record = getRunView(db, runId);
  if (!record) throw new UserError(`no run ${runId}; see \`baton history\` for run ids`);
  return record;
}

/** `baton show <run>`: the run's whole OrchestrationContext as a timeline tree. Also answers `/why`. */
export function renderRunDetail(db: Db, runId: string, opts: ViewOptions = {}): string {
  const record = loadRecord(db, runId);
  const style = makeStyle(opts.color);
  const width = opts.width ?? 80;
  const now = opts.now ?? Date.now();
  const r = record.summary;
  const cost = costSplit(record);
  const out: string[] = [];

  out.push(
    [
      `${style.bold(`run ${r.id}`)}`,
      statusColor(style, r.status)(r.status),
      ...(r.outcome ? [statusColor(style, r.outcome)(r.outcome)] : []),
      formatDuration(runDuration(r)),
      `${formatTokens(totalTokens(r))} tokens`,
      formatCost(r.costUsd),
    ].join(' · '),
  );
  const meta: [string, string][] = [
    ['project', r.project],
    ['thread', r.threadId],
    ['started', `${formatDateTime(r.startedAt)} (${formatAgo(r.startedAt, now)})`],
    ['models', `workers ${record.model}, orchestrator ${record.orchestratorModel ?? '-'}`],
    ['mode', `${record.permissionMode} (permissions)`],
    ...(record.playbook
      ? [['playbook', `${record.playbook} (${record.playbookFile ?? '?'}, sha256 ${(record.playbookHash ?? '').slice(0, 12)})`] as [string, string]]
      : []),
    [
      'cost',
      `${formatCost(cost.totalUsd)} = workers ${formatCost(cost.workersUsd)} + decisions ${formatCost(cost.decisionsUsd)} + analysis ${formatCost(cost.analysisUsd)}`,
    ],
  ];
  for (const [k, v] of meta)
    wrap(v, width - 10, 3).forEach((line, i) => out.push(`  ${style.dim((i ? '' : k).padEnd(8))}${i || k.length < 8 ? '' : ' '}${line}`));

  out.push('', style.bold('prompt'), ...wrap(r.prompt, width - 2, 12).map((l) => `  ${l}`));

  const lessonTexts = new Map(record.lessonsUsed.map((l) => [l.id, l.text]));
  const timeline: TreeNode[] = [
    ...record.decisions.map((d) => decisionNode(d, readDecision(d.decisionJson), lessonTexts, r.startedAt, style)),
    ...record.agentCalls.map((a) => agentNode(a, record, r.startedAt, style)),
    ...record.questions.filter((q) => !record.agentCalls.some((a) => a.id === q.agentCallId)).map((q) => questionNode(q, r.startedAt, style)),
  ].sort((x, y) => x.at - y.at);
  const end = r.finishedAt ?? now;
  const endDetails: Detail[] = [];
  if (r.error) endDetails.push({ label: 'error', text: r.error, maxLines: 4 });
  if (record.result) endDetails.push({ label: 'result', text: record.result, maxLines: 6 });
  timeline.push({
    at: end,
    head: [
      `${style.dim(r.finishedAt === null ? 'now' : offset(r.finishedAt, r.startedAt))} run ${r.finishedAt === null ? 'still ' : ''}${statusColor(style, r.status)(r.status)}`,
    ],
    details: endDetails,
  });
  out.push('', style.bold('timeline'));
  renderTree(timeline, '', width, style, out);

  if (record.analysis) {
    const a = record.analysis;
    out.push('', `${style.bold('analysis')} ${statusColor(style, a.outcome)(a.outcome)} · ${tokensOf(a)} · ${formatCost(a.costUsd)}`);
    out.push(...wrap(a.summary, width - 2, 8).map((l) => `  ${l}`));
    const signals = readObject(a.signalsJson);
    const text = signals ? describeSignals(signals) : '';
    if (text) out.push(...wrap(`signals: ${text}`, width - 2, 4).map((l) => `  ${style.dim(l)}`));
  } else if (r.finishedAt !== null) out.push('', `${style.bold('analysis')} ${style.dim('none recorded')}`);

  if (record.lessonsProduced.length) {
    out.push('', style.bold('lessons written'));
    for (const l of record.lessonsProduced) out.push(...wrap(`#${l.id} ${l.text}`, width - 4, 3).map((line, k) => `${k ? '    ' : '  '}${line}`));
  }
  if (record.feedback.length) {
    out.push('', style.bold('feedback'));
    for (const f of record.feedback) {
      out.push(`  ${statusColor(style, f.verdict)(f.verdict)}${f.note ? ` ${JSON.stringify(f.note)}` : ''} ${style.dim(`(${formatAgo(f.createdAt, now)})`)}`);
    }
  }
  return out.join('\n');
}

// ---------------------------------------------------------------- --diff

/**
 * `baton show <run> --diff` and `/diff`: the run's file changes as unified diffs, in the order the
 * tools made them, each headed by the tool and the agent; files changed without a recorded diff
 * (by a command, or by a baton that did not record diffs yet) are named after them.
 */
export function renderRunDiffs(db: Db, runId: string, opts: ViewOptions = {}): string {
  if (!getRunSummary(db, runId)) throw new UserError(`no run ${runId}; see \`baton history\` for run ids`);
  const style = makeStyle(opts.color);
  const { diffs, files } = getRunDiffs(db, runId);
  const out: string[] = [];
  const covered = new Set<string>();
  for (const d of diffs) {
    const path = diffPath(d.diff);
    if (path) covered.add(path);
    const by = d.label && d.label !== d.role && !d.label.startsWith(d.role) ? `${d.label} · ${d.role}` : (d.label ?? d.role);
    if (out.length) out.push('');
    out.push(`${style.accent('●')} ${style.bold(`${d.name} ${path ?? ''}`.trim())} ${style.dim(`· ${by}`)}`, paintDiff(d.diff, style));
  }
  const rest = files.filter((f) => !covered.has(f.path));
  if (rest.length) {
    if (out.length) out.push('');
    out.push(
      style.dim(
        diffs.length
          ? 'also changed, without a recorded diff (a command, or an earlier baton):'
          : 'changed, without a recorded diff (a command, or an earlier baton):',
      ),
    );
    for (const f of rest) out.push(`  ${f.path} ${style.dim(`(${f.change})`)}`);
  }
  return out.length ? out.join('\n') : `run ${runId} changed no files`;
}

/** The file a unified diff is about: its `+++ b/<path>` header (or `--- a/<path>` for a deletion). */
function diffPath(diff: string): string | undefined {
  const m = /^\+\+\+ b\/(.+)$/m.exec(diff) ?? /^--- a\/(.+)$/m.exec(diff);
  return m?.[1];
}

// ---------------------------------------------------------------- --json

export function runDetailJson(db: Db, runId: string) {
  const record = loadRecord(db, runId);
  const lesson = (l: RunView['lessonsUsed'][number]) => ({ id: l.id, pattern: l.pattern, text: l.text, weight: l.weight, runId: l.runId });
  return {
    run: {
      ...runEntry(record.summary),
      model: record.model,
      orchestratorModel: record.orchestratorModel,
      permissionMode: record.permissionMode,
      result: record.result,
      playbook: record.playbook ? { id: record.playbook, file: record.playbookFile, hash: record.playbookHash } : null,
    },
    cost: costSplit(record),
    decisions: record.decisions.map((d) => ({
      id: d.id,
      seq: d.seq,
      kind: d.kind,
      pattern: d.pattern,
      /** The stored decision object, or null when it could not be read. */
      decision: readDecision(d.decisionJson) ?? null,
      reasoning: d.reasoning,
      confidence: d.confidence,
      fallbackCause: d.fallbackCause,
      model: d.model,
      tokens: tokenBuckets(d),
      costUsd: d.costUsd,
      durationMs: d.durationMs,
      createdAt: isoTime(d.createdAt),
    })),
    agentCalls: record.agentCalls.map((a) => ({
      id: a.id,
      decisionId: a.decisionId,
      role: a.role,
      label: a.label,
      model: a.model,
      instructions: a.instructions,
      status: a.status,
      turns: a.turns,
      retries: a.retries,
      result: a.result,
      error: a.error,
      agentFile: a.agentFile ? { path: a.agentFile, hash: a.agentFileHash } : null,
      stopReasons: readStopReasons(a.stopReasons),
      thinking: readThinking(a.messagesJson),
      tokens: tokenBuckets(a),
      costUsd: a.costUsd,
      startedAt: isoTime(a.startedAt),
      finishedAt: isoTime(a.finishedAt),
      durationMs: a.finishedAt === null ? null : a.finishedAt - a.startedAt,
      toolCalls: record.toolCalls
        .filter((t) => t.agentCallId === a.id)
        .map((t) => ({
          id: t.id,
          name: t.name,
          input: readObject(t.inputJson) ?? null,
          status: t.status,
          permission: t.permission,
          isError: t.isError === 1,
          output: t.output,
          diff: t.diff,
          durationMs: t.durationMs,
          startedAt: isoTime(t.startedAt),
        })),
    })),
    questions: record.questions.map((q) => ({
      id: q.id,
      agentCallId: q.agentCallId,
      question: q.question,
      options: readStringList(q.optionsJson) ?? null,
      answer: q.answer,
      askedAt: isoTime(q.askedAt),
      answeredAt: isoTime(q.answeredAt),
    })),
    planSteps: record.planSteps.map((s) => ({
      idx: s.idx,
      title: s.title,
      instructions: s.instructions,
      params: readObject(s.paramsJson) ?? {},
      status: s.status,
      agentCallId: s.agentCallId,
      output: s.output,
    })),
    analysis: record.analysis
      ? {
          outcome: record.analysis.outcome,
          summary: record.analysis.summary,
          signals: readObject(record.analysis.signalsJson) ?? null,
          model: record.analysis.model,
          tokens: tokenBuckets(record.analysis),
          costUsd: record.analysis.costUsd,
          createdAt: isoTime(record.analysis.createdAt),
        }
      : null,
    lessonsUsed: record.lessonsUsed.map(lesson),
    lessonsProduced: record.lessonsProduced.map(lesson),
    feedback: record.feedback.map((f) => ({ verdict: f.verdict, note: f.note, createdAt: isoTime(f.createdAt) })),
  };
}

// ---------------------------------------------------------------- a thread

function loadThread(db: Db, threadId: string) {
  const thread = getThreadView(db, threadId);
  if (!thread) throw new UserError(`no thread ${threadId}`);
  return { thread, runs: listRuns(db, { threadId }).reverse() };
}

/** `baton show <thread>`: the thread's runs, oldest first. */
export function renderThread(db: Db, threadId: string, opts: ViewOptions = {}): string {
  const { thread, runs } = loadThread(db, threadId);
  const style = makeStyle(opts.color);
  const head = [
    `${style.bold(`thread ${thread.id}`)}${thread.title ? ` ${oneLine(thread.title, 50)}` : ''}`,
    `  ${style.dim('project')} ${thread.project}`,
    `  ${style.dim('started')} ${formatDateTime(thread.createdAt)}, last active ${formatAgo(thread.updatedAt, opts.now)}, ${runs.length} run${runs.length === 1 ? '' : 's'}`,
  ];
  if (thread.summary) head.push(...wrap(`summary: ${thread.summary}`, (opts.width ?? 80) - 2, 6).map((l) => `  ${l}`));
  return [...head, '', runs.length ? renderRunTable(db, runs, opts) : 'no runs in this thread yet'].join('\n');
}

export function threadJson(db: Db, threadId: string): { thread: Record<string, unknown>; runs: RunEntry[] } {
  const { thread, runs } = loadThread(db, threadId);
  return {
    thread: { ...thread, createdAt: isoTime(thread.createdAt), updatedAt: isoTime(thread.updatedAt) },
    runs: runs.map(runEntry),
  };
}

/** The measured signals in words; what the header already shows (status, time, tokens, cost) is left out. */
function describeSignals(s: Record<string, unknown>): string {
  const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0);
  const list = (k: string) => (Array.isArray(s[k]) ? (s[k] as unknown[]) : []);
  const parts = [`${n('agentCalls')} agent calls${n('agentsFailed') ? ` (${n('agentsFailed')} failed)` : ''}`, `${n('toolCalls')} tool calls`];
  if (n('toolErrors')) parts.push(`${n('toolErrors')} tool errors`);
  if (n('toolsDenied')) parts.push(`${n('toolsDenied')} denied`);
  if (n('retries')) parts.push(`${n('retries')} retries`);
  if (n('revisions')) parts.push(`${n('revisions')} revisions`);
  if (n('cancellations')) parts.push(`${n('cancellations')} cancelled`);
  const tests = list('tests');
  if (tests.length) parts.push(`tests run ${tests.length}× (${s.testsPassed === true ? 'passed' : s.testsPassed === false ? 'failed' : 'unfinished'})`);
  const files = list('filesChanged');
  if (files.length) parts.push(`files changed: ${files.join(', ')}`);
  const q = s.questions as { asked?: number; answered?: number } | undefined;
  if (q?.asked) parts.push(`questions ${q.answered ?? 0}/${q.asked} answered`);
  const verdicts = list('reviewVerdicts');
  if (verdicts.length) parts.push(`reviews: ${verdicts.join(', ')}`);
  if (typeof s.fallbackCause === 'string') parts.push(`fallback: ${s.fallbackCause}`);
  return parts.join(', ');
}

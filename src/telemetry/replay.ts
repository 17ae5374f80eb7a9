/**
 * A stored run as the same trace the live stream makes, with its original timestamps: for
 * `baton export --otlp`, so history recorded before telemetry was on reaches the backend. The
 * store keeps no row per model request, so an agent's span carries its requests' totals.
 */
import { context, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { RunView } from '../store/views/run-view.js';
import { BATON, contentAttributes, GEN_AI, modelAttributes, usageAttributes } from './attributes.js';
import { spanIdOf, traceIdOf } from './ids.js';
import { recordAnalysis, type RecorderDeps } from './recorder.js';

const at = (ms: number) => new Date(ms);

export function replayRun(deps: Omit<RecorderDeps, 'db'>, r: RecordFor): void {
  const { tracer, ids, instruments, content } = deps;
  const s = r.summary;
  const start = (name: string, parent: Context | undefined, spanId: string, startMs: number, attributes: Attributes, traceId?: string): Span => {
    ids.preset({ traceId, spanId });
    return tracer.startSpan(name, { startTime: at(startMs), attributes }, parent ?? context.active());
  };
  // A run still recorded as running or waiting ends, for the trace, at its last recorded moment.
  const lastSeen = Math.max(
    s.startedAt,
    ...r.decisions.map((d) => d.createdAt),
    ...r.agentCalls.map((a) => a.finishedAt ?? a.startedAt),
    ...r.toolCalls.map((t) => t.finishedAt ?? t.startedAt),
  );
  const runEnd = s.finishedAt ?? lastSeen;
  const runSpan = start(
    'baton.run',
    undefined,
    spanIdOf('run', s.id),
    s.startedAt,
    {
      [BATON.runId]: s.id,
      [GEN_AI.conversationId]: s.threadId,
      [BATON.resumed]: false,
      [BATON.runStatus]: s.status,
      ...(s.pattern ? { [BATON.pattern]: s.pattern } : {}),
      ...(r.analysis ? { [BATON.outcome]: r.analysis.outcome } : {}),
      // The run's own spend (the summary's includes the analysis, which has its own span).
      ...usageAttributes({
        inputTokens: s.inputTokens - (r.analysis?.inputTokens ?? 0),
        outputTokens: s.outputTokens - (r.analysis?.outputTokens ?? 0),
        cacheReadTokens: s.cacheReadTokens - (r.analysis?.cacheReadTokens ?? 0),
        cacheWriteTokens: s.cacheWriteTokens - (r.analysis?.cacheWriteTokens ?? 0),
      }),
      [BATON.costUsd]: s.costUsd - s.analysisCostUsd,
      [BATON.durationMs]: runEnd - s.startedAt,
      'baton.exported': true,
      ...contentAttributes(content, { [BATON.prompt]: s.prompt, [BATON.result]: r.result }),
    },
    traceIdOf(s.id),
  );
  if (s.status === 'failed') runSpan.setStatus({ code: SpanStatusCode.ERROR, message: s.error ?? 'failed' });
  const runCtx = trace.setSpan(context.active(), runSpan);

  const decisionCtx = new Map<string, Context>();
  for (const d of r.decisions) {
    const span = start('baton.decision', runCtx, spanIdOf('decision', d.id), d.createdAt - d.durationMs, {
      [GEN_AI.operation]: 'chat',
      ...modelAttributes(d.model),
      ...usageAttributes(d),
      [BATON.costUsd]: d.costUsd,
      [BATON.decisionId]: d.id,
      [BATON.decisionKind]: d.kind,
      [BATON.pattern]: d.pattern,
      ...(d.confidence !== null ? { [BATON.confidence]: d.confidence } : {}),
      ...(d.fallbackCause ? { [BATON.fallbackCause]: d.fallbackCause } : {}),
    });
    span.addEvent(BATON.reasoning, { [BATON.reasoning]: d.reasoning }, at(d.createdAt));
    if (d.kind === 'fallback') span.setStatus({ code: SpanStatusCode.ERROR, message: d.fallbackCause ?? 'fallback' });
    span.end(at(d.createdAt));
    decisionCtx.set(d.id, trace.setSpan(runCtx, span));
    instruments.decision(d.kind, d.pattern, d.durationMs);
    instruments.spend('orchestrator', 'orchestrator', d.model, d, d.costUsd);
  }
  // An agent call without a stored decision id belongs to the decision in force when it started.
  const decisionAt = (startedAt: number) => [...r.decisions].reverse().find((d) => d.createdAt <= startedAt)?.id;

  const agentCtx = new Map<string, Context>();
  for (const a of r.agentCalls) {
    const parent = decisionCtx.get(a.decisionId ?? decisionAt(a.startedAt) ?? '') ?? runCtx;
    const span = start(`invoke_agent ${a.role}`, parent, spanIdOf('agent', a.id), a.startedAt, {
      [GEN_AI.operation]: 'invoke_agent',
      [GEN_AI.agentName]: a.role,
      [GEN_AI.agentId]: a.id,
      ...modelAttributes(a.model),
      ...usageAttributes(a),
      [BATON.costUsd]: a.costUsd,
      [BATON.agentStatus]: a.status,
      [BATON.turns]: a.turns,
      [BATON.retries]: a.retries,
      ...(a.label ? { [BATON.label]: a.label } : {}),
      ...contentAttributes(content, { [BATON.instructions]: a.instructions, [BATON.result]: a.result }),
    });
    if (a.status === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: a.error ?? 'failed' });
    span.end(at(a.finishedAt ?? runEnd));
    agentCtx.set(a.id, trace.setSpan(runCtx, span));
    instruments.agent(a.role, a.model, a.status);
    instruments.retry(a.role, a.model, a.retries);
    instruments.spend('workers', a.role, a.model, a, a.costUsd);
  }

  for (const t of r.toolCalls) {
    const isError = t.isError === 1;
    const span = start(`execute_tool ${t.name}`, agentCtx.get(t.agentCallId) ?? runCtx, spanIdOf('tool', t.id), t.startedAt, {
      [GEN_AI.operation]: 'execute_tool',
      [GEN_AI.toolName]: t.name,
      [GEN_AI.toolCallId]: t.id,
      [BATON.toolIsError]: isError,
      'baton.tool.status': t.status,
      ...(t.permission ? { [BATON.permission]: t.permission } : {}),
      ...contentAttributes(content, { [GEN_AI.toolArguments]: t.inputJson, [GEN_AI.toolResult]: t.output }),
    });
    if (isError) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(at(t.finishedAt ?? (t.durationMs !== null ? t.startedAt + t.durationMs : t.startedAt)));
    instruments.tool(t.name, isError);
  }

  for (const q of r.questions) {
    runSpan.addEvent('baton.question', contentAttributes(content, { 'baton.question.text': q.question, 'baton.question.answer': q.answer }), at(q.askedAt));
  }
  runSpan.end(at(runEnd));
  if (s.status !== 'running' && s.status !== 'waiting_user') {
    instruments.run(s.pattern, s.status, s.finishedAt !== null ? s.finishedAt - s.startedAt : null, s.costUsd - s.analysisCostUsd);
  }
  if (r.analysis) recordAnalysis(deps, s.id, s.pattern, r.analysis, at(runEnd), at(Math.max(runEnd, r.analysis.createdAt)), runCtx);
}

type RecordFor = Pick<RunView, 'summary' | 'result' | 'decisions' | 'agentCalls' | 'toolCalls' | 'questions' | 'analysis'>;

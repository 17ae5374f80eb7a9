/**
 * Turns a run's live event stream into one trace: run → decision(s) → agent calls → model
 * requests and tool calls, and into metrics. What events do not carry (a decision's model,
 * tokens and latency; an analysis's cost) is read from the store, which is written before the
 * event that depends on it is emitted.
 */
import { context, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { BatonEvent, EventOf } from '../core/events.js';
import type { Db } from '../store/db.js';
import { getRunView, type AnalysisView, type DecisionView } from '../store/views/run-view.js';
import { BATON, contentAttributes, GEN_AI, modelAttributes, usageAttributes } from './attributes.js';
import type { Instruments } from './instruments.js';
import { spanIdOf, traceIdOf, type PresetIdGenerator } from './ids.js';

interface AgentState {
  span: Span;
  ctx: Context;
  role: string;
  model: string;
  retries: { at: Date; attrs: Attributes }[];
}

interface RunState {
  span: Span;
  ctx: Context;
  /** Agents are children of the decision in force when they start. */
  decisionCtx: Context;
  pattern?: string | undefined;
  agents: Map<string, AgentState>;
  tools: Map<string, Span>;
  finishedAt?: Date | undefined;
}

export interface RecorderDeps {
  tracer: Tracer;
  ids: PresetIdGenerator;
  instruments: Instruments;
  db: Db;
  content: boolean;
}

export class EventRecorder {
  private readonly runs = new Map<string, RunState>();
  /** When the event being handled happened (events may be handled late, once the SDK has loaded). */
  private now = new Date();

  constructor(private readonly deps: RecorderDeps) {}

  /** Never throws: telemetry must not disturb a run. */
  record = (e: BatonEvent, at: Date = new Date()): void => {
    this.now = at;
    try {
      this.handle(e);
    } catch (err) {
      if (process.env.BATON_DEBUG) console.error('telemetry: event not recorded', err);
    }
  };

  /** Ends whatever is still open (a session closed mid-run), so it is sent. */
  endAll(): void {
    this.now = new Date();
    for (const run of this.runs.values()) this.endRun(run);
  }

  private start(
    name: string,
    parent: Context | undefined,
    attributes: Attributes,
    ids: { traceId?: string; spanId?: string } = {},
    startTime = this.now,
  ): Span {
    this.deps.ids.preset(ids);
    return this.deps.tracer.startSpan(name, { attributes, startTime }, parent ?? context.active());
  }

  private handle(e: BatonEvent): void {
    const { instruments, content } = this.deps;
    if (e.type === 'run.started') return this.runStarted(e);
    if (e.type === 'notice' || !('runId' in e)) return;
    const run = this.runs.get(e.runId);
    switch (e.type) {
      case 'decision.made':
        if (run) this.decision(run, e);
        return;
      case 'agent.started': {
        if (!run) return;
        const span = this.start(
          `invoke_agent ${e.role}`,
          run.decisionCtx,
          {
            [GEN_AI.operation]: 'invoke_agent',
            [GEN_AI.agentName]: e.role,
            [GEN_AI.agentId]: e.agentCallId,
            ...modelAttributes(e.model),
            ...(e.label ? { [BATON.label]: e.label } : {}),
          },
          { spanId: spanIdOf('agent', e.agentCallId) },
        );
        run.agents.set(e.agentCallId, { span, ctx: trace.setSpan(run.ctx, span), role: e.role, model: e.model, retries: [] });
        return;
      }
      case 'llm.retry': {
        const agent = run?.agents.get(e.agentCallId);
        if (!agent) return;
        agent.retries.push({ at: this.now, attrs: { attempt: e.attempt, 'baton.retry.delay_ms': e.delayMs, 'baton.retry.reason': e.reason } });
        instruments.retry(agent.role, agent.model);
        return;
      }
      case 'llm.usage': {
        const agent = run?.agents.get(e.agentCallId);
        if (!agent) return;
        const end = this.now;
        const span = this.start(
          `chat ${agent.model}`,
          agent.ctx,
          {
            [GEN_AI.operation]: 'chat',
            ...modelAttributes(agent.model),
            ...usageAttributes(e.usage),
            [BATON.costUsd]: e.costUsd,
            ...(e.stopReason ? { [GEN_AI.finishReasons]: [e.stopReason] } : {}),
          },
          {},
          new Date(end.getTime() - (e.durationMs ?? 0)),
        );
        for (const r of agent.retries) span.addEvent('baton.llm.retry', r.attrs, r.at);
        agent.retries = [];
        span.end(end);
        instruments.spend('workers', agent.role, agent.model, e.usage, e.costUsd);
        return;
      }
      case 'tool.requested': {
        const agent = run?.agents.get(e.agentCallId);
        if (!run || !agent) return;
        run.tools.set(e.toolCallId, this.toolSpan(agent, e.toolCallId, e.name, e.input));
        return;
      }
      case 'permission.needed':
        run?.tools.get(e.toolCallId)?.addEvent('baton.permission.needed', contentAttributes(content, { 'baton.permission.title': e.title }));
        return;
      case 'permission.answered':
        run?.tools.get(e.toolCallId)?.addEvent('baton.permission.answered', { [BATON.permission]: e.answer });
        return;
      case 'tool.finished': {
        if (!run) return;
        const end = this.now;
        let span = run.tools.get(e.toolCallId);
        const agent = run.agents.get(e.agentCallId);
        if (!span && agent) span = this.toolSpan(agent, e.toolCallId, e.name, undefined, new Date(end.getTime() - e.durationMs));
        run.tools.delete(e.toolCallId);
        instruments.tool(e.name, e.isError);
        if (!span) return;
        span.setAttributes({
          [BATON.toolIsError]: e.isError,
          ...contentAttributes(content, { [GEN_AI.toolResult]: e.output, [BATON.toolSummary]: e.summary }),
        });
        if (e.isError) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end(end);
        return;
      }
      case 'agent.finished': {
        const agent = run?.agents.get(e.agentCallId);
        instruments.agent(e.role, agent?.model ?? 'unknown', e.status);
        if (!run || !agent) return;
        agent.span.setAttributes({
          [BATON.agentStatus]: e.status,
          ...usageAttributes(e.usage),
          [BATON.costUsd]: e.costUsd,
          ...contentAttributes(content, { [BATON.result]: e.result }),
        });
        if (e.status === 'failed') agent.span.setStatus({ code: SpanStatusCode.ERROR, message: e.error ?? 'failed' });
        agent.span.end();
        run.agents.delete(e.agentCallId);
        return;
      }
      case 'question.asked':
        run?.span.addEvent('baton.question', contentAttributes(content, { 'baton.question.text': e.question }));
        return;
      case 'question.answered':
        run?.span.addEvent('baton.question.answered', contentAttributes(content, { 'baton.question.answer': e.answer }));
        return;
      case 'run.finished':
        if (run) this.runFinished(run, e);
        return;
      case 'analysis.done':
        this.analysis(e.runId, run);
        return;
      default:
        return;
    }
  }

  private runStarted(e: EventOf<'run.started'>): void {
    // A resumed run is a second root in the run's trace; its span id must differ from the first's.
    const span = this.start(
      'baton.run',
      undefined,
      {
        [BATON.runId]: e.runId,
        [GEN_AI.conversationId]: e.threadId,
        [BATON.resumed]: e.resumed,
        ...contentAttributes(this.deps.content, { [BATON.prompt]: e.prompt }),
      },
      { traceId: traceIdOf(e.runId), spanId: e.resumed ? undefined : spanIdOf('run', e.runId) },
    );
    // The root's context must not inherit an active span (there is none: baton registers no global context manager).
    const ctx = trace.setSpan(context.active(), span);
    this.runs.set(e.runId, { span, ctx, decisionCtx: ctx, agents: new Map(), tools: new Map() });
  }

  private decision(run: RunState, e: EventOf<'decision.made'>): void {
    const row: DecisionView | undefined = getRunView(this.deps.db, e.runId)?.decisions.find((d) => d.id === e.decisionId);
    const end = this.now;
    const durationMs = row?.durationMs ?? 0;
    const span = this.start(
      'baton.decision',
      run.ctx,
      {
        [GEN_AI.operation]: 'chat',
        ...modelAttributes(row?.model),
        ...(row ? usageAttributes(row) : {}),
        ...(row ? { [BATON.costUsd]: row.costUsd } : {}),
        [BATON.decisionId]: e.decisionId,
        [BATON.decisionKind]: e.kind,
        [BATON.pattern]: e.pattern,
        [BATON.confidence]: e.confidence,
        [BATON.roles]: e.agents.map((a) => a.role),
        ...(e.fallbackCause ? { [BATON.fallbackCause]: e.fallbackCause } : {}),
      },
      { spanId: spanIdOf('decision', e.decisionId) },
      new Date(end.getTime() - durationMs),
    );
    span.addEvent(BATON.reasoning, { [BATON.reasoning]: e.reasoning }, end);
    if (this.deps.content) {
      e.agents.forEach((a, i) => span.addEvent('baton.decision.agent', { index: i, [GEN_AI.agentName]: a.role, [BATON.instructions]: a.instructions }, end));
    }
    if (e.kind === 'fallback') span.setStatus({ code: SpanStatusCode.ERROR, message: e.fallbackCause ?? 'fallback' });
    span.end(end);
    run.decisionCtx = trace.setSpan(run.ctx, span);
    run.pattern = e.pattern;
    this.deps.instruments.decision(e.kind, e.pattern, durationMs);
    if (row) this.deps.instruments.spend('orchestrator', 'orchestrator', row.model, row, row.costUsd);
  }

  private toolSpan(agent: AgentState, toolCallId: string, name: string, input: unknown, startTime = this.now): Span {
    return this.start(
      `execute_tool ${name}`,
      agent.ctx,
      {
        [GEN_AI.operation]: 'execute_tool',
        [GEN_AI.toolName]: name,
        [GEN_AI.toolCallId]: toolCallId,
        ...contentAttributes(this.deps.content, { [GEN_AI.toolArguments]: input === undefined ? undefined : JSON.stringify(input) }),
      },
      { spanId: spanIdOf('tool', toolCallId) },
      startTime,
    );
  }

  private runFinished(run: RunState, e: EventOf<'run.finished'>): void {
    run.span.setAttributes({
      [BATON.runStatus]: e.status,
      ...(run.pattern ? { [BATON.pattern]: run.pattern } : {}),
      ...usageAttributes(e.usage),
      [BATON.costUsd]: e.costUsd,
      [BATON.durationMs]: e.durationMs,
      ...contentAttributes(this.deps.content, { [BATON.result]: e.result }),
    });
    if (e.status === 'failed') run.span.setStatus({ code: SpanStatusCode.ERROR, message: e.error ?? 'failed' });
    this.deps.instruments.run(run.pattern, e.status, e.durationMs, e.costUsd);
    // Kept (ended) so that a later analysis finds its parent.
    this.endRun(run);
  }

  private endRun(run: RunState): void {
    if (run.finishedAt) return;
    const now = this.now;
    for (const span of run.tools.values()) span.end(now);
    for (const agent of run.agents.values()) agent.span.end(now);
    run.tools.clear();
    run.agents.clear();
    run.span.end(now);
    run.finishedAt = now;
  }

  private analysis(runId: string, run: RunState | undefined): void {
    const record = getRunView(this.deps.db, runId);
    if (!record?.analysis) return;
    const parent = run?.ctx;
    recordAnalysis(
      this.deps,
      runId,
      record.summary.pattern,
      record.analysis,
      run?.finishedAt ?? new Date(record.summary.finishedAt ?? Date.now()),
      this.now,
      parent,
    );
  }
}

/** The analysis span (a child of the run's span, even from another process) and its metrics. */
export function recordAnalysis(
  deps: Omit<RecorderDeps, 'db'>,
  runId: string,
  pattern: string | null | undefined,
  a: AnalysisView,
  start: Date,
  end: Date,
  parent?: Context,
): void {
  // From another process the run's span is known by its derived ids.
  const ctx = parent ?? trace.setSpanContext(context.active(), { traceId: traceIdOf(runId), spanId: spanIdOf('run', runId), traceFlags: 1, isRemote: true });
  deps.ids.preset({ spanId: spanIdOf('analysis', runId) });
  const span = deps.tracer.startSpan(
    'baton.analysis',
    {
      startTime: start.getTime() <= end.getTime() ? start : end,
      attributes: {
        [GEN_AI.operation]: 'chat',
        ...modelAttributes(a.model),
        ...usageAttributes(a),
        [BATON.costUsd]: a.costUsd,
        [BATON.runId]: runId,
        [BATON.outcome]: a.outcome,
        ...contentAttributes(deps.content, { [BATON.summary]: a.summary }),
      },
    },
    ctx,
  );
  span.end(end);
  deps.instruments.outcome(pattern, a.outcome);
  deps.instruments.spend('orchestrator', 'analysis', a.model, a, a.costUsd);
}

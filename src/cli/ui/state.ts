/**
 * The session UI's state and its pure reducer. Every BatonEvent and every UI action goes through
 * `reduce`, so the rendering logic is tested without a terminal.
 *
 * The transcript is append-only: finished items are printed once (ink's <Static>) and then only
 * kept until the screen has them (`ui.printed`), so neither memory nor per-event cost grows with
 * the session. Streamed text lives in `live.streams` until a paragraph, a model turn or the agent
 * ends; only its tail is on screen meanwhile.
 */
import type { AgentCallStatus, BatonEvent, RunStatus } from '../../core/events.js';
import { addUsage, emptyUsage, totalInput, type Usage } from '../../core/usage.js';
import type { PermissionMode, PermissionRequest, QuestionRequest } from '../../core/run.js';
import { foldDiff } from '../render/diff-lines.js';
import { cutStream } from '../render/markdown-split.js';
import { contextClearedLine, firstSentence, oneLine } from './format.js';

/** A transcript item before the reducer numbers it. */
export type NewItem =
  | { kind: 'user'; text: string }
  | { kind: 'header'; pattern: string; reason: string; decision: 'initial' | 'revision' | 'fallback' }
  /** Streamed words: complete markdown blocks (rendered), or the rest of a turn. */
  | { kind: 'text'; text: string; label?: string | undefined }
  /** A model's thinking, folded to one dim line. */
  | { kind: 'thinking'; text: string }
  | {
      kind: 'tool';
      name: string;
      detail: string;
      summary?: string | undefined;
      isError: boolean;
      /** A file change's diff, folded to its first changed lines (`/diff` shows all of it). */
      diff?: { lines: string[]; more: number } | undefined;
      /** The agent that made the call, in a run of several agents. */
      by?: string | undefined;
    }
  /** A sub-agent of a multi-agent run, folded to one line when it ends (Ctrl-O unfolds its tool calls). */
  | { kind: 'agent'; agent: AgentTrace }
  | { kind: 'qa'; question: string; answer: string }
  | { kind: 'answer'; text: string }
  | { kind: 'run-end'; status: RunStatus; error?: string | undefined; durationMs: number; tokens: number; costUsd: number }
  | { kind: 'notice'; level: 'info' | 'warn' | 'error'; text: string }
  | { kind: 'output'; text: string };
export type Item = NewItem & { id: number };

export interface AgentView {
  id: string;
  role: string;
  label?: string | undefined;
  activity: string;
  /** The title of the tool it runs now (`edit src/a.ts`), shown instead of "running edit_file". */
  tool?: string | undefined;
}

/** One tool call of an agent, as the unfolded trace (Ctrl-O) lists it. */
export interface ToolTrace {
  id: string;
  title: string;
  summary?: string | undefined;
  isError: boolean;
  done: boolean;
}

/** One agent of a run, with what the tree and its folded line show. */
export interface AgentTrace {
  id: string;
  role: string;
  label?: string | undefined;
  status: AgentCallStatus;
  /** Model turns so far (one per llm.usage). */
  turns: number;
  tokens: number;
  costUsd: number;
  /** Its tool calls, the latest TRACE_TOOLS of them; `dropped` counts the older ones. */
  tools: ToolTrace[];
  dropped: number;
  /** The first line of its result (or of its error). */
  result?: string | undefined;
}

/** The run as a tree, pattern → agents → tool calls: live while it runs, kept for Ctrl-O after. */
export interface RunTrace {
  runId: string;
  pattern?: string | undefined;
  agents: AgentTrace[];
}

/** What is on screen while a run is going: streams not yet committed, agents, tools in flight. */
export interface LiveRun {
  runId: string;
  pattern?: string | undefined;
  agents: AgentView[];
  /** Uncommitted streamed text per agent call. */
  streams: Record<string, string>;
  /** The agent that streamed last: its tail is the one shown. */
  streamAgent?: string | undefined;
  /** Thinking streamed per agent call (key '' for the orchestrator's), until its turn moves on. */
  thinking: Record<string, string>;
  /** The agent that thought last: its last line is the one shown. */
  thinkingAgent?: string | undefined;
  /** The agent whose text was committed last (a change of speaker gets a label). */
  lastSpeaker?: string | undefined;
  /** Agents whose words reached the transcript, and the last such agent's final result. */
  spoke: string[];
  lastSpokenResult?: string | undefined;
  /** Tools in flight: what each acts on (the tool's own subject for the call). */
  tools: Record<string, { name: string; subject: string }>;
  /** Permission prompts by tool call: the tool's title for the call. */
  permissions: Record<string, string>;
  questions: Record<string, string>;
}

export interface RunCost {
  runId: string;
  prompt: string;
  pattern?: string | undefined;
  status: RunStatus;
  usage: Usage;
  costUsd: number;
  durationMs: number;
}

export type Ask =
  | { kind: 'permission'; req: PermissionRequest }
  /** A run waiting for an answer (this session's, or one an earlier session left): the answer resumes it. */
  | { kind: 'question'; req: QuestionRequest };

export interface ThreadChoice {
  id: string;
  title: string;
  updatedAt: number;
  runs: number;
}

/** `closed`: the session ended; only the transcript stays on screen. */
export type Phase = 'starting' | 'picking' | 'idle' | 'running' | 'cancelling' | 'busy' | 'closed';

export interface UiState {
  /** Bumped when printed items are dropped or the screen is cleared: <Static> starts afresh. */
  epoch: number;
  /** Bumped by /clear: the screen is wiped. */
  clears: number;
  items: Item[];
  nextId: number;
  phase: Phase;
  /** What a `busy` phase is doing, e.g. "compacting". */
  busy?: string | undefined;
  threadId?: string | undefined;
  model: string;
  mode: PermissionMode;
  live?: LiveRun | undefined;
  lastRunId?: string | undefined;
  ask?: Ask | undefined;
  /** Session totals. */
  usage: Usage;
  costUsd: number;
  runs: RunCost[];
  /** A transient line under the input, e.g. "press Ctrl-C again to exit". */
  hint?: string | undefined;
  threads?: ThreadChoice[] | undefined;
  /** Prompts typed during a run, sent in order after it (type-ahead). */
  queue: string[];
  /** Text handed back to the prompt editor (e.g. the queue after Esc); `seq` tells a new hand-back from an old one. */
  recall?: { text: string; seq: number } | undefined;
  /** The current or last run of this session as a tree of agents and tool calls. */
  trace?: RunTrace | undefined;
  /** Ctrl-O: the trace is shown unfolded under the transcript. */
  unfolded: boolean;
}

export type UiAction =
  | BatonEvent
  | { type: 'ui.submitted'; text: string }
  | { type: 'ui.phase'; phase: Phase; busy?: string }
  | { type: 'ui.session'; threadId: string; transcript: { role: 'user' | 'assistant'; content: string; runId?: string | undefined }[] }
  | { type: 'ui.ask'; ask: Ask | undefined }
  | { type: 'ui.output'; text: string }
  /** The user's answer to the question a waiting run asked (resuming the run does not announce it). */
  | { type: 'ui.answered'; question: string; answer: string }
  | { type: 'ui.notice'; level: 'info' | 'warn' | 'error'; text: string }
  | { type: 'ui.mode'; mode: PermissionMode }
  | { type: 'ui.model'; model: string }
  | { type: 'ui.hint'; hint: string | undefined }
  | { type: 'ui.clear' }
  | { type: 'ui.printed'; count: number }
  | { type: 'ui.threads'; threads: ThreadChoice[] | undefined }
  | { type: 'ui.queue'; queue: string[] }
  | { type: 'ui.recall'; text: string }
  /** Ctrl-O: unfold the last run's agents and tool calls, or fold them again. */
  | { type: 'ui.unfold' };

/** Streamed lines kept live before they are committed even without a paragraph break. */
export const LIVE_LINES = 8;
/** Streamed text kept live at most (a line without end, a huge table) before it is committed anyway. */
const MAX_LIVE_CHARS = 8000;
/** Lines of an unclosed code fence kept live before the block is shown in two parts. */
const FENCE_LINES = 40;
/** Tool calls kept per agent for the unfolded trace; older ones are counted. */
const TRACE_TOOLS = 200;
/** Changed lines a file change shows in the transcript before "… N more lines". */
export const DIFF_FOLD_LINES = 4;
/** Messages of a resumed thread shown when the session opens. */
const RESTORED_MESSAGES = 10;
const RESTORED_LINES = 20;

export function initialState(model: string, mode: PermissionMode, phase: Phase = 'starting'): UiState {
  return {
    epoch: 0,
    clears: 0,
    items: [],
    nextId: 1,
    phase,
    model,
    mode,
    usage: emptyUsage(),
    costUsd: 0,
    runs: [],
    queue: [],
    unfolded: false,
  };
}

export function reduce(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'ui.submitted':
      return push(state, { kind: 'user', text: action.text });
    case 'ui.phase': {
      // Leaving a run, whatever happened: nothing streamed may be lost.
      const s = action.phase === 'running' || !state.live ? state : { ...flushAll(state), live: undefined };
      return { ...s, phase: action.phase, busy: action.busy, hint: undefined };
    }
    case 'ui.session':
      return restoreTranscript({ ...state, threadId: action.threadId }, action.transcript);
    case 'ui.ask':
      return { ...state, ask: action.ask };
    case 'ui.output':
      return push(state, { kind: 'output', text: action.text });
    case 'ui.answered':
      return push(state, { kind: 'qa', question: action.question, answer: action.answer });
    case 'ui.notice':
      return push(state, { kind: 'notice', level: action.level, text: action.text });
    case 'ui.mode':
      return { ...state, mode: action.mode };
    case 'ui.model':
      return { ...state, model: action.model };
    case 'ui.hint':
      return { ...state, hint: action.hint };
    case 'ui.clear':
      return { ...state, items: [], epoch: state.epoch + 1, clears: state.clears + 1, threadId: undefined, lastRunId: undefined, unfolded: false };
    case 'ui.printed':
      return { ...state, items: state.items.slice(action.count), epoch: state.epoch + 1 };
    case 'ui.threads':
      return { ...state, threads: action.threads };
    case 'ui.queue':
      return { ...state, queue: action.queue };
    case 'ui.recall':
      return { ...state, recall: { text: action.text, seq: (state.recall?.seq ?? 0) + 1 } };
    case 'ui.unfold':
      if (!state.trace) return push(state, { kind: 'notice', level: 'info', text: 'no run in this session yet; /why shows the last recorded one' });
      return { ...state, unfolded: !state.unfolded };
    default:
      return traceEvent(reduceEvent(state, action), action);
  }
}

function reduceEvent(state: UiState, e: BatonEvent): UiState {
  switch (e.type) {
    case 'run.started': {
      const live: LiveRun = { runId: e.runId, agents: [], streams: {}, thinking: {}, spoke: [], tools: {}, permissions: {}, questions: {} };
      // A resumed run keeps its entry: run.finished reports the run's totals over all its legs.
      const known = state.runs.some((r) => r.runId === e.runId);
      const run: RunCost = { runId: e.runId, prompt: e.prompt, status: 'running', usage: emptyUsage(), costUsd: 0, durationMs: 0 };
      const runs = known ? state.runs.map((r) => (r.runId === e.runId ? { ...r, status: 'running' as const } : r)) : [...state.runs, run];
      const s = { ...state, live, lastRunId: e.runId, runs };
      return e.resumed ? push(s, { kind: 'notice', level: 'info', text: `resuming run ${e.runId}` }) : s;
    }
    case 'decision.made': {
      const reason = e.kind === 'fallback' ? `fallback: ${e.fallbackCause ?? 'decision failed'}` : e.reasoning;
      const s = withLive(state, (l) => ({ ...l, pattern: e.pattern }));
      return updateRun(push(s, { kind: 'header', pattern: e.pattern, reason: firstSentence(reason, 200), decision: e.kind }), e.runId, (r) => ({
        ...r,
        pattern: e.pattern,
      }));
    }
    case 'agent.started':
      return withLive(state, (l) => ({
        ...l,
        agents: [...l.agents.filter((a) => a.id !== e.agentCallId), { id: e.agentCallId, role: e.role, label: e.label, activity: 'thinking' }],
      }));
    case 'text.delta':
      return streamText(commitThinking(state, e.agentCallId), e.agentCallId, e.text);
    case 'thinking.delta': {
      const id = e.agentCallId ?? '';
      const s = withLive(state, (l) => ({ ...l, thinking: { ...l.thinking, [id]: (l.thinking[id] ?? '') + e.text }, thinkingAgent: id }));
      return setActivity(s, id, 'thinking');
    }
    case 'llm.retry': {
      // The failed attempt's unprinted text is dropped: the answer streams again from its start.
      const dropped = e.resetText ? withLive(state, (l) => ({ ...l, streams: { ...l.streams, [e.agentCallId]: '' } })) : state;
      const s = setActivity(dropped, e.agentCallId, `retrying (attempt ${e.attempt})`);
      const restart = e.resetText ? '; the answer restarts' : '';
      return push(s, {
        kind: 'notice',
        level: 'warn',
        text: `${oneLine(e.reason, 120)} — retrying in ${(e.delayMs / 1000).toFixed(1)}s (attempt ${e.attempt})${restart}`,
      });
    }
    case 'llm.usage': {
      // A model turn ended: its words are final, unless the model refused (then they are withdrawn, not the answer).
      const kept = e.stopReason === 'refusal' ? withLive(state, (l) => ({ ...l, streams: { ...l.streams, [e.agentCallId]: '' } })) : state;
      const s = addCost(commitStream(commitThinking(kept, e.agentCallId), e.agentCallId, true), e.runId, e.usage, e.costUsd);
      return setActivity(s, e.agentCallId, 'thinking');
    }
    case 'tool.requested': {
      const s = withLive(commitStream(commitThinking(state, e.agentCallId), e.agentCallId, true), (l) => ({
        ...l,
        tools: { ...l.tools, [e.toolCallId]: { name: e.name, subject: e.subject } },
        agents: l.agents.map((a) => (a.id === e.agentCallId ? { ...a, tool: e.title } : a)),
      }));
      return setActivity(s, e.agentCallId, `running ${e.name}`);
    }
    case 'permission.needed': {
      const s = withLive(state, (l) => ({ ...l, permissions: { ...l.permissions, [e.toolCallId]: e.title } }));
      return setActivity(s, e.agentCallId, 'waiting for permission');
    }
    case 'permission.answered': {
      const summary = state.live?.permissions[e.toolCallId] ?? e.toolCallId;
      if (e.answer === 'always') return push(state, { kind: 'notice', level: 'info', text: `always allowed in this project: ${e.rule ?? summary}` });
      if (e.answer === 'deny') return push(state, { kind: 'notice', level: 'warn', text: `denied: ${summary}` });
      return state;
    }
    case 'tool.finished': {
      const requested = state.live?.tools[e.toolCallId];
      let s = withLive(state, (l) => ({ ...l, tools: omit(l.tools, e.toolCallId) }));
      s = setActivity(s, e.agentCallId, 'thinking');
      if (e.name === 'ask_user') return s; // shown as the question and its answer
      // Several agents: their calls fold into each agent's line (Ctrl-O unfolds them); file changes stay in view.
      const several = severalAgents(state);
      if (several && !e.diff) return s;
      const detail = oneLine(requested?.subject ?? '', 200);
      const summary = e.summary ?? (e.isError ? oneLine(e.output, 100) : undefined);
      const diff = e.diff ? foldDiff(e.diff, DIFF_FOLD_LINES) : undefined;
      const by = several
        ? agentName(
            state.live?.agents.find((a) => a.id === e.agentCallId),
            '',
          ) || undefined
        : undefined;
      return push(s, { kind: 'tool', name: e.name, detail, summary, isError: e.isError, diff, by });
    }
    case 'question.asked': {
      const s = withLive(state, (l) => ({ ...l, questions: { ...l.questions, [e.questionId]: e.question } }));
      return setActivity(s, state.live?.agents.at(-1)?.id ?? '', 'waiting for your answer');
    }
    case 'question.answered': {
      const question = state.live?.questions[e.questionId] ?? (state.ask?.kind === 'question' ? state.ask.req.question : 'question');
      return push(state, { kind: 'qa', question, answer: e.answer });
    }
    case 'agent.finished': {
      let s = commitStream(commitThinking(state, e.agentCallId), e.agentCallId, true);
      const agent = s.live?.agents.find((a) => a.id === e.agentCallId);
      s = withLive(s, (l) => ({
        ...l,
        agents: l.agents.filter((a) => a.id !== e.agentCallId),
        lastSpokenResult: l.spoke.includes(e.agentCallId) && e.result !== undefined ? e.result : l.lastSpokenResult,
      }));
      const traced = state.trace?.agents.find((a) => a.id === e.agentCallId);
      if (severalAgents(state) && traced) return push(s, { kind: 'agent', agent: finishTrace(traced, e) });
      if (e.status === 'failed')
        s = push(s, { kind: 'notice', level: 'error', text: `${agentName(agent, e.role)} failed: ${oneLine(e.error ?? 'unknown error', 200)}` });
      return s;
    }
    case 'run.finished': {
      let s = flushAll(state);
      const result = e.result?.trim();
      const said = s.live?.lastSpokenResult?.trim();
      if (result && e.status !== 'cancelled' && result !== said && !lastTextIs(s, result)) s = push(s, { kind: 'answer', text: result });
      const tokens = totalInput(e.usage) + e.usage.outputTokens;
      // A run waiting for an answer shows its question next, not an end line.
      if (e.status !== 'waiting_user') s = push(s, { kind: 'run-end', status: e.status, error: e.error, durationMs: e.durationMs, tokens, costUsd: e.costUsd });
      s = settleRunCost(s, e);
      return { ...s, live: undefined, lastRunId: e.runId };
    }
    case 'analysis.done': {
      const lessons = e.lessons.length ? ` · learned: ${e.lessons.map((l) => oneLine(l, 80)).join('; ')}` : '';
      return push(state, { kind: 'notice', level: 'info', text: `analysis: ${e.outcome}${lessons}` });
    }
    case 'notice':
      return push(state, { kind: 'notice', level: e.level, text: e.message });
    case 'context.cleared':
      return push(state, { kind: 'notice', level: 'info', text: contextClearedLine(e) });
  }
}

/**
 * The run's tree (pattern → agents → tool calls, with turns, tokens and cost per agent), kept
 * beside the live view: the live area draws it while the run goes, Ctrl-O unfolds it after.
 */
function traceEvent(state: UiState, e: BatonEvent): UiState {
  const trace = state.trace;
  const agentOf = (id: string, f: (a: AgentTrace) => AgentTrace): UiState =>
    trace?.agents.some((a) => a.id === id) ? { ...state, trace: { ...trace, agents: trace.agents.map((a) => (a.id === id ? f(a) : a)) } } : state;
  switch (e.type) {
    case 'run.started':
      // A resumed run goes on in the same tree.
      return { ...state, unfolded: false, trace: e.resumed && trace?.runId === e.runId ? trace : { runId: e.runId, agents: [] } };
    case 'decision.made':
      return trace ? { ...state, trace: { ...trace, pattern: e.pattern } } : state;
    case 'agent.started': {
      if (!trace) return state;
      const was = trace.agents.find((a) => a.id === e.agentCallId);
      const agent: AgentTrace = {
        ...(was ?? { turns: 0, tokens: 0, costUsd: 0, tools: [], dropped: 0 }),
        id: e.agentCallId,
        role: e.role,
        label: e.label,
        status: 'executing',
      };
      return { ...state, trace: { ...trace, agents: was ? trace.agents.map((a) => (a === was ? agent : a)) : [...trace.agents, agent] } };
    }
    case 'llm.usage':
      return agentOf(e.agentCallId, (a) => ({
        ...a,
        turns: a.turns + 1,
        tokens: a.tokens + totalInput(e.usage) + e.usage.outputTokens,
        costUsd: a.costUsd + e.costUsd,
      }));
    case 'tool.requested':
      return agentOf(e.agentCallId, (a) => {
        const tools = [...a.tools, { id: e.toolCallId, title: e.title, isError: false, done: false }];
        const over = Math.max(0, tools.length - TRACE_TOOLS);
        return { ...a, tools: tools.slice(over), dropped: a.dropped + over };
      });
    case 'tool.finished': {
      const summary = e.summary ?? (e.isError ? oneLine(e.output, 100) : undefined);
      return agentOf(e.agentCallId, (a) => ({
        ...a,
        tools: a.tools.map((t) => (t.id === e.toolCallId ? { ...t, done: true, isError: e.isError, summary } : t)),
      }));
    }
    case 'agent.finished':
      return agentOf(e.agentCallId, (a) => finishTrace(a, e));
    default:
      return state;
  }
}

/** An agent's trace once it ended: its own totals (authoritative) and the first line of what it returned. */
function finishTrace(a: AgentTrace, e: Extract<BatonEvent, { type: 'agent.finished' }>): AgentTrace {
  const said = e.status === 'failed' ? e.error : e.result;
  const first = said?.split('\n').find((l) => l.trim());
  return {
    ...a,
    status: e.status,
    tokens: Math.max(a.tokens, totalInput(e.usage) + e.usage.outputTokens),
    costUsd: Math.max(a.costUsd, e.costUsd),
    result: first === undefined ? undefined : oneLine(first, 200),
  };
}

/** A run of several agents (any pattern but direct): the tree shows each, their calls fold into their lines. */
function severalAgents(state: UiState): boolean {
  const pattern = state.trace?.pattern ?? state.live?.pattern;
  return pattern !== undefined && pattern !== 'direct';
}

function push(state: UiState, item: NewItem): UiState {
  return { ...state, items: [...state.items, { ...item, id: state.nextId }], nextId: state.nextId + 1 };
}

function withLive(state: UiState, f: (live: LiveRun) => LiveRun): UiState {
  return state.live ? { ...state, live: f(state.live) } : state;
}

function setActivity(state: UiState, agentId: string, activity: string): UiState {
  return withLive(state, (l) => ({ ...l, agents: l.agents.map((a) => (a.id === agentId ? { ...a, activity } : a)) }));
}

function streamText(state: UiState, agentId: string, text: string): UiState {
  const live = state.live;
  if (!live) return state;
  const before = live.streams[agentId] ?? '';
  // A new block of text does not start with blank lines.
  const buf = before + (before ? text : text.replace(/^\n+/, ''));
  const s = setActivity({ ...state, live: { ...live, streams: { ...live.streams, [agentId]: buf }, streamAgent: agentId } }, agentId, 'writing');
  return commitStream(s, agentId, false);
}

/**
 * Moves an agent's streamed text into the transcript: all of it when `all` (turn or agent ended),
 * else the complete lines once a paragraph ended or more than LIVE_LINES are waiting.
 */
function commitStream(state: UiState, agentId: string, all: boolean): UiState {
  const live = state.live;
  const buf = live?.streams[agentId];
  if (!live || !buf) return state;
  let text: string;
  let rest: string;
  if (all) {
    text = buf.trimEnd();
    rest = '';
  } else {
    // Only complete markdown blocks leave the live area: a list, table or code fence is rendered whole.
    const cut = cutStream(buf, { liveLines: LIVE_LINES, fenceLines: FENCE_LINES, maxChars: MAX_LIVE_CHARS });
    if (!cut) return state;
    text = cut.done.endsWith('\n') ? cut.done.slice(0, -1) : cut.done;
    rest = cut.rest;
  }
  const agent = live.agents.find((a) => a.id === agentId);
  const label = agent?.label === 'direct' || live.lastSpeaker === agentId ? undefined : agentName(agent, 'agent');
  const next: LiveRun = {
    ...live,
    streams: { ...live.streams, [agentId]: rest },
    lastSpeaker: agentId,
    spoke: live.spoke.includes(agentId) ? live.spoke : [...live.spoke, agentId],
  };
  const s = { ...state, live: next };
  return text.trim() ? push(s, { kind: 'text', text, label }) : s;
}

function flushAll(state: UiState): UiState {
  let s = state;
  for (const id of Object.keys(state.live?.thinking ?? {})) s = commitThinking(s, id);
  for (const id of Object.keys(state.live?.streams ?? {})) s = commitStream(s, id, true);
  return s;
}

/** An agent's thinking ends when it writes, calls a tool or ends its turn: it folds into one transcript line. */
function commitThinking(state: UiState, agentId: string): UiState {
  const text = state.live?.thinking[agentId];
  if (text === undefined) return state;
  const s = withLive(state, (l) => ({ ...l, thinking: omit(l.thinking, agentId), thinkingAgent: l.thinkingAgent === agentId ? undefined : l.thinkingAgent }));
  return text.trim() ? push(s, { kind: 'thinking', text: text.trim() }) : s;
}

function lastTextIs(state: UiState, text: string): boolean {
  const last = state.items.at(-1);
  return last?.kind === 'text' && last.text.trim() === text;
}

export function agentName(agent: Pick<AgentView, 'role' | 'label'> | undefined, fallback: string): string {
  if (!agent) return fallback;
  const { role, label } = agent;
  return label && !label.startsWith(role) ? `${label} · ${role}` : (label ?? role);
}

function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _dropped, ...rest } = record;
  return rest;
}

function updateRun(state: UiState, runId: string, f: (r: RunCost) => RunCost): UiState {
  return { ...state, runs: state.runs.map((r) => (r.runId === runId ? f(r) : r)) };
}

function addCost(state: UiState, runId: string, usage: Usage, costUsd: number): UiState {
  const s = { ...state, usage: addUsage(state.usage, usage), costUsd: state.costUsd + costUsd };
  return updateRun(s, runId, (r) => ({ ...r, usage: addUsage(r.usage, usage), costUsd: r.costUsd + costUsd }));
}

/**
 * run.finished carries the run's own totals, which may include calls that sent no llm.usage
 * (the orchestrator's decision): the session totals take whatever the run adds beyond them.
 */
function settleRunCost(state: UiState, e: Extract<BatonEvent, { type: 'run.finished' }>): UiState {
  const seen = state.runs.find((r) => r.runId === e.runId);
  const was = seen ?? { usage: emptyUsage(), costUsd: 0 };
  const more = (k: keyof Usage) => Math.max(0, e.usage[k] - was.usage[k]);
  const extra: Usage = {
    inputTokens: more('inputTokens'),
    outputTokens: more('outputTokens'),
    cacheReadTokens: more('cacheReadTokens'),
    cacheWriteTokens: more('cacheWriteTokens'),
  };
  const final: RunCost = {
    runId: e.runId,
    prompt: seen?.prompt ?? '',
    pattern: seen?.pattern,
    status: e.status,
    usage: addUsage(was.usage, extra),
    costUsd: Math.max(was.costUsd, e.costUsd),
    durationMs: e.durationMs,
  };
  return {
    ...state,
    usage: addUsage(state.usage, extra),
    costUsd: state.costUsd + Math.max(0, e.costUsd - was.costUsd),
    runs: seen ? state.runs.map((r) => (r.runId === e.runId ? final : r)) : [...state.runs, final],
  };
}

function restoreTranscript(state: UiState, transcript: { role: 'user' | 'assistant'; content: string; runId?: string | undefined }[]): UiState {
  if (transcript.length === 0) return state;
  const shown = transcript.slice(-RESTORED_MESSAGES);
  const hidden = transcript.length - shown.length;
  let s = push(state, { kind: 'notice', level: 'info', text: `continuing thread ${state.threadId}${hidden ? ` (${hidden} earlier messages not shown)` : ''}` });
  for (const m of shown) {
    if (m.role === 'user') s = push(s, { kind: 'user', text: m.content });
    else {
      const lines = m.content.split('\n');
      const text = lines.length > RESTORED_LINES ? `${lines.slice(0, RESTORED_LINES).join('\n')}\n… (${lines.length - RESTORED_LINES} more lines)` : m.content;
      s = push(s, { kind: 'answer', text });
    }
  }
  const lastRun = [...transcript].reverse().find((m) => m.runId)?.runId;
  return { ...s, lastRunId: state.lastRunId ?? lastRun };
}

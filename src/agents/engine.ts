/**
 * The agent engine: system prompt + tools → stream a model turn → act on how the turn ended →
 * repeat, until the model ends its turn, max turns, the budget, a question for the user, or
 * cancel. It owns the turns, the stop decisions and the conversation; the tool runner runs the
 * calls, the guard clears them, and the journal writes everything down as it happens.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { errorMessage } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { INTERRUPTED_TOOL_RESULT } from '../core/run.js';
import { addUsage, emptyUsage, totalInput, type Usage } from '../core/usage.js';
import { textOf } from '../llm/content.js';
import { contextWindowFor } from '../llm/pricing.js';
import { maxOutputTokens, workerThinking } from '../llm/thinking.js';
import { LlmError, type LlmResult, type ToolDefinition } from '../llm/types.js';
import type { QuestionRow } from '../store/questions.js';
import type { AgentCallRow } from '../store/agent-calls.js';
import { parseToolInput, toolDefinitions, toolsByName } from '../tools/registry.js';
import type { ToolSpec } from '../tools/types.js';
import { charsOf, promptTooLong, WindowKeeper, type WindowClearing } from './context-window.js';
import { answerInterruptedCalls, answeredTurn, lastText, lastToolUses, loadConversation, parseFinal, type AgentState } from './conversation.js';
import { Guard } from './guard.js';
import { storeJournal, type AgentJournal } from './journal.js';
import { agentSystemPrompt } from './prompt.js';
import { roleDefaults, type RoleDefinition } from './roles.js';
import { ToolRunner } from './tool-runner.js';
import { toolError, type AgentEnv, type AgentOutcome, type AgentSpec, type ToolResultBlock, type ToolUseBlock } from './types.js';

export type { AgentEnv, AgentOutcome, AgentSpec } from './types.js';
export { parseFinal } from './conversation.js';

const MAX_TOKENS = 16_384;
/** A turn whose tool call was cut off is retried once with this much more room (as far as the model allows). */
const RAISED_MAX_TOKENS = 4 * MAX_TOKENS;
/** How many times an answer cut off at max_tokens is continued before it is reported cut off. */
const MAX_CONTINUATIONS = 3;

const CONTINUE = (limit: number) =>
  `Your reply was cut off at the output limit (${limit} tokens). Continue exactly where it stopped, mid-sentence if need be; do not repeat anything already written.`;
const NUDGE = 'Your last reply was empty. Give your final answer now: state what you did and what the result is.';
const cutCallMessage = (limit: number) =>
  `This call was cut off at the output limit (${limit} tokens) before its input was complete, so it was not run. ` +
  'Split the work into smaller calls: write a skeleton of the file first, then add the rest with edits.';

export async function runAgent(spec: AgentSpec, env: AgentEnv): Promise<AgentOutcome> {
  const journal = storeJournal(env.db, env.runId, env.hooks);
  const existing = journal.findCall(spec.label);
  if (existing?.status === 'completed') return replayCompleted(existing, spec);
  return new AgentCall(spec, env, journal, existing).run();
}

function replayCompleted(row: AgentCallRow, spec: AgentSpec): AgentOutcome {
  const result = row.result ?? '';
  const usage = emptyUsage();
  if (!spec.finalSchema) return { status: 'completed', agentCallId: row.id, result, usage, costUsd: 0 };
  const parsed = parseFinal(result, spec.finalSchema);
  return parsed.ok
    ? { status: 'completed', agentCallId: row.id, result, parsed: parsed.value, usage, costUsd: 0 }
    : { status: 'failed', agentCallId: row.id, error: parsed.error, result, usage, costUsd: 0 };
}

type Stop = AgentOutcome | undefined;
/** A model turn with the max_tokens it was asked with. */
type Turn = LlmResult & { maxTokens: number };

class AgentCall {
  private readonly id: string;
  private readonly state: AgentState;
  private usage = emptyUsage();
  private cost = 0;
  private turnsDone: number;
  private readonly tools: ToolSpec[];
  private readonly system: string;
  private readonly runner: ToolRunner;
  private readonly role: RoleDefinition;
  /** max_tokens of the next request: raised once to retry a turn whose tool call was cut off. */
  private nextMaxTokens = MAX_TOKENS;
  private raisedOnce = false;
  private window: WindowKeeper | undefined;

  constructor(
    private readonly spec: AgentSpec,
    private readonly env: AgentEnv,
    private readonly journal: AgentJournal,
    existing: AgentCallRow | undefined,
  ) {
    this.role = roleDefaults(spec.role);
    const role = this.role;
    const own = spec.tools ?? role.tools.map((n) => toolsByName[n]).filter((t): t is ToolSpec => t !== undefined);
    const ask = spec.canAsk === false || spec.role === 'summarizer' ? [] : [toolsByName.ask_user!];
    this.tools = [...own, ...ask];
    this.system = agentSystemPrompt(spec.role, env.root, env.repoFacts, spec.agentFile?.system);
    if (existing) {
      // Resume the same slot: its conversation continues where it stopped.
      this.id = existing.id;
      this.turnsDone = existing.turns;
      this.state = loadConversation(existing.messages_json, existing.id);
      const interrupted = answerInterruptedCalls(this.state, INTERRUPTED_TOOL_RESULT);
      if (interrupted.length) {
        journal.toolsInterrupted(interrupted, INTERRUPTED_TOOL_RESULT);
        journal.saveConversation(existing.id, JSON.stringify(this.state));
      }
    } else {
      this.id = newId('a');
      this.turnsDone = 0;
      this.state = { messages: [] };
      journal.beginCall({
        id: this.id,
        decisionId: spec.decisionId,
        role: spec.role,
        label: spec.label,
        model: spec.model,
        instructions: spec.instructions,
        agentFile: spec.agentFile,
      });
    }
    if (this.state.messages.length === 0) this.state.messages.push({ role: 'user', content: spec.instructions });
    const guard = new Guard(env);
    this.runner = new ToolRunner({
      runId: env.runId,
      agentCallId: this.id,
      root: env.root,
      hooks: env.hooks,
      signal: env.signal,
      journal,
      guard,
      tools: this.tools,
    });
  }

  async run(): Promise<AgentOutcome> {
    const { env, spec } = this;
    this.journal.setCallStatus(this.id, 'executing');
    env.hooks.emit({ type: 'agent.started', runId: env.runId, agentCallId: this.id, role: spec.role, model: spec.model, label: spec.label });
    try {
      if (this.state.pending) {
        // A call that stopped on ask_user: the stored answer completes that turn's tool results.
        const resumed = await this.runTools(lastToolUses(this.state), this.state.pending.results);
        if (resumed) return resumed;
      }
      // Sending a conversation that ends with the model's own answer would be a prefill: finish with that answer instead.
      const answered = answeredTurn(this.state);
      const end = answered && this.finalAnswer(answered as Anthropic.ContentBlock[]);
      if (end) return end;
      return await this.loop();
    } catch (err) {
      // A failed or cancelled request still cost its input (llm/spend.ts): it counts toward the run and the budget.
      if (err instanceof LlmError && err.usage) this.addSpend(err.usage, err.costUsd ?? 0);
      if (env.signal.aborted || (err instanceof LlmError && err.kind === 'aborted')) return this.finish('cancelled', { error: 'cancelled by the user' });
      return this.finish('failed', { error: errorMessage(err) });
    }
  }

  private async loop(): Promise<AgentOutcome> {
    const definitions = toolDefinitions(this.tools);
    for (;;) {
      const stop = this.stopBeforeTurn();
      if (stop) return stop;
      const started = Date.now();
      const res = await this.requestInWindow(definitions);
      const content = this.recordTurn(res, Date.now() - started);
      const end = await this.afterTurn(res, content);
      if (end) return end;
    }
  }

  /** Why no further turn may start: cancel, the run's budget, the agent's max turns. */
  private stopBeforeTurn(): Stop {
    const { env, spec } = this;
    const maxTurns = spec.maxTurns ?? this.role.defaultMaxTurns;
    if (env.signal.aborted) return this.finish('cancelled', { error: 'cancelled by the user' });
    if (env.budget.exceeded()) return this.finish('failed', { error: env.budget.describe(), result: lastText(this.state) });
    if (this.turnsDone >= maxTurns) return this.finish('failed', { error: `stopped after ${maxTurns} turns (max turns)`, result: lastText(this.state) });
    return undefined;
  }

  /**
   * The request, kept inside the model's context window: old tool results are cleared before it
   * would pass ~80% of it; a 400 "prompt is too long" or a `model_context_window_exceeded` turn
   * (counted, not used) clears harder and retries once.
   */
  private async requestInWindow(definitions: ToolDefinition[]): Promise<Turn> {
    this.window ??= new WindowKeeper(contextWindowFor(this.spec.model, this.env.contextWindows), this.system.length + JSON.stringify(definitions).length);
    this.fitWindow(this.window.beforeRequest(this.state.messages));
    const chars = charsOf(this.state.messages);
    let res: Turn;
    try {
      res = await this.request(definitions);
    } catch (err) {
      const tooLong = err instanceof LlmError ? promptTooLong(err.message) : undefined;
      const clearing = tooLong && this.window.afterOverflow(this.state.messages, tooLong.tokens, tooLong.maximum);
      if (!clearing) throw err;
      this.fitWindow(clearing);
      return this.request(definitions);
    }
    this.window.reported(totalInput(res.usage), chars);
    if (res.stopReason !== 'model_context_window_exceeded') return res;
    const clearing = this.window.afterOverflow(this.state.messages, totalInput(res.usage));
    if (!clearing) return res;
    this.countUnusedTurn(res);
    this.fitWindow(clearing);
    return this.request(definitions);
  }

  private fitWindow(clearing: WindowClearing | undefined): void {
    if (!clearing) return;
    const { env } = this;
    this.state.messages = clearing.messages;
    this.journal.saveConversation(this.id, JSON.stringify(this.state));
    env.hooks.emit({
      type: 'context.cleared',
      runId: env.runId,
      agentCallId: this.id,
      tokensBefore: clearing.tokensBefore,
      tokensAfter: clearing.tokensAfter,
      cleared: clearing.cleared,
    });
  }

  /** A turn that ran past the window: its cost counts, its cut reply is not kept. */
  private countUnusedTurn(res: Turn): void {
    this.turnsDone++;
    this.addSpend(res.usage, res.costUsd, { durationMs: 0, stopReason: res.stopReason });
    this.journal.turn(
      this.id,
      { usage: res.usage, costUsd: res.costUsd, retries: res.retries, stopReason: 'model_context_window_exceeded' },
      JSON.stringify(this.state),
    );
  }

  private request(definitions: ToolDefinition[]): Promise<Turn> {
    const { env, spec } = this;
    const maxTokens = this.nextMaxTokens;
    this.nextMaxTokens = MAX_TOKENS;
    const thinking = this.role.thinks ? workerThinking(spec.model, maxTokens) : undefined;
    return env.client
      .call({
        model: spec.model,
        system: this.system,
        tools: definitions.length ? definitions : undefined,
        messages: this.state.messages,
        maxTokens,
        effort: spec.effort ?? this.role.defaultEffort,
        ...(thinking ? { thinking } : {}),
        signal: env.signal,
        onText: (text) => env.hooks.emit({ type: 'text.delta', runId: env.runId, agentCallId: this.id, text }),
        onThinking: (text) => env.hooks.emit({ type: 'thinking.delta', runId: env.runId, agentCallId: this.id, text }),
        onRetry: (info) => env.hooks.emit({ type: 'llm.retry', runId: env.runId, agentCallId: this.id, ...info }),
      })
      .then((res) => ({ ...res, maxTokens }));
  }

  /** Adds a request's usage and cost to the agent, the budget, the run row and the event stream. */
  private addSpend(usage: Usage, costUsd: number, request?: { durationMs: number; stopReason: string | null }): void {
    if (costUsd === 0 && totalInput(usage) + usage.outputTokens === 0) return;
    this.usage = addUsage(this.usage, usage);
    this.cost += costUsd;
    this.env.budget.add(costUsd);
    this.journal.runUsage(usage, costUsd);
    this.env.hooks.emit({ type: 'llm.usage', runId: this.env.runId, agentCallId: this.id, usage, costUsd, ...request });
  }

  /**
   * Counts the turn's cost, appends the model's content to the conversation (unless the turn is
   * not used: refused, past the context window, or a cut tool call about to be retried) and
   * journals both with the turn's stop reason; returns that content.
   */
  private recordTurn(res: Turn, durationMs: number): Anthropic.ContentBlock[] {
    const { env } = this;
    this.turnsDone++;
    if (res.costEstimated) warnUnpricedModel(env, this.spec.model);
    this.addSpend(res.usage, res.costUsd, { durationMs, stopReason: res.stopReason });
    // The API rejects empty text blocks when they are sent back; drop them. Thinking blocks stay exactly as received.
    const content = res.content.filter((b) => !(b.type === 'text' && b.text === ''));
    if (content.length && this.keeps(res, content)) {
      const last = this.state.messages.at(-1);
      if (this.state.paused && last?.role === 'assistant' && Array.isArray(last.content)) {
        // The continuation of a paused turn is the same assistant turn.
        last.content = [...last.content, ...(content as Anthropic.ContentBlockParam[])];
      } else {
        this.state.messages.push({ role: 'assistant', content: content as Anthropic.ContentBlockParam[] });
      }
    }
    this.state.paused = false;
    this.journal.turn(
      this.id,
      { usage: res.usage, costUsd: res.costUsd, retries: res.retries, stopReason: res.stopReason ?? 'none' },
      JSON.stringify(this.state),
    );
    return content;
  }

  /** Whether a turn's content joins the conversation. */
  private keeps(res: Turn, content: Anthropic.ContentBlock[]): boolean {
    if (res.stopReason === 'refusal' || res.stopReason === 'model_context_window_exceeded') return false;
    if (res.stopReason === 'max_tokens' && content.at(-1)?.type === 'tool_use') return !this.canRaise(res.maxTokens);
    return true;
  }

  private canRaise(limit: number): boolean {
    return !this.raisedOnce && (maxOutputTokens(this.spec.model) ?? 0) > limit;
  }

  /**
   * What the finished turn asks for, by how it ended (its stop reason): tool calls to run, a final
   * answer, a continuation. Returns an outcome to stop, undefined to take another turn.
   */
  private async afterTurn(res: Turn, content: Anthropic.ContentBlock[]): Promise<Stop> {
    switch (res.stopReason) {
      case 'refusal':
        return this.refused(res);
      case 'model_context_window_exceeded':
        return this.contextExceeded(res);
      case 'max_tokens':
        if (content.at(-1)?.type === 'tool_use') return this.cutToolCall(res, content);
        if (!content.some((b) => b.type === 'tool_use')) return this.cutText(res, content);
        break;
      case 'pause_turn':
        // The API paused a long turn; sent back as it is, the turn goes on.
        if (!content.some((b) => b.type === 'tool_use')) {
          this.state.paused = content.length > 0;
          return undefined;
        }
        break;
      default:
        break;
    }
    const toolUses = content.filter((b) => b.type === 'tool_use') as ToolUseBlock[];
    if (toolUses.length) {
      this.endCut();
      return this.runTools(toolUses, []);
    }
    return this.finalAnswer(content);
  }

  /** `refusal`: the agent fails with the model's explanation; the turn's text is not the answer and is not kept. */
  private refused(res: Turn): Stop {
    const d = res.stopDetails;
    const category = d?.category ? ` (${d.category})` : '';
    return this.finish('failed', { error: `the model refused${category}: ${d?.explanation ?? 'it gave no explanation'}`, result: undefined });
  }

  /**
   * `model_context_window_exceeded`: not a normal end, and its cut reply is not used. This is the
   * hook for context management (clear old tool results and retry the turn); until it clears,
   * the call fails and says why.
   */
  private contextExceeded(res: Turn): Stop {
    return this.finish('failed', {
      error: `the conversation filled the context window of ${this.spec.model} (model_context_window_exceeded after ${res.usage.inputTokens + res.usage.cacheReadTokens + res.usage.cacheWriteTokens} input tokens); the cut reply was not used`,
      result: undefined,
    });
  }

  /**
   * `max_tokens` inside a tool call: the call is never run. The turn is retried once with more
   * room where the model allows; else the model is told the call was cut and to split the work.
   */
  private async cutToolCall(res: Turn, content: Anthropic.ContentBlock[]): Promise<Stop> {
    const { env } = this;
    const cut = content.at(-1) as ToolUseBlock;
    if (this.canRaise(res.maxTokens)) {
      this.raisedOnce = true;
      this.nextMaxTokens = Math.min(maxOutputTokens(this.spec.model)!, Math.max(RAISED_MAX_TOKENS, res.maxTokens * 2));
      env.hooks.emit({
        type: 'notice',
        runId: env.runId,
        level: 'warn',
        message: `a ${cut.name} call was cut off at ${res.maxTokens} output tokens; retrying the turn with ${this.nextMaxTokens}`,
      });
      return undefined;
    }
    env.hooks.emit({
      type: 'notice',
      runId: env.runId,
      level: 'warn',
      message: `a ${cut.name} call was cut off at ${res.maxTokens} output tokens and was not run; the model is asked to split the work`,
    });
    const message = cutCallMessage(res.maxTokens);
    this.journal.toolRequested({ id: cut.id, agentCallId: this.id, name: cut.name, input: cut.input });
    this.journal.toolFinished(cut.id, { status: 'failed', output: message, isError: true, durationMs: 0 });
    this.endCut();
    const toolUses = content.filter((b) => b.type === 'tool_use') as ToolUseBlock[];
    return this.runTools(toolUses, [toolError(cut.id, message)]);
  }

  /** `max_tokens` in text: continue (a user turn; no assistant prefill) up to 3 times, then report the answer cut off. */
  private cutText(res: Turn, content: Anthropic.ContentBlock[]): Stop {
    const { env, state } = this;
    state.cutText = (state.cutText ?? '') + textOf(content);
    const done = state.continuations ?? 0;
    if (done >= MAX_CONTINUATIONS) {
      const result = state.cutText.trim();
      const error = `the answer was cut off at the output limit (${res.maxTokens} tokens), even after ${MAX_CONTINUATIONS} continuations`;
      env.hooks.emit({ type: 'notice', runId: env.runId, level: 'warn', message: error });
      this.endCut();
      return this.finish('failed', { error, result });
    }
    state.continuations = done + 1;
    state.messages.push({ role: 'user', content: CONTINUE(res.maxTokens) });
    this.journal.saveConversation(this.id, JSON.stringify(state));
    return undefined;
  }

  private endCut(): void {
    this.state.continuations = undefined;
    this.state.cutText = undefined;
  }

  /** The model ended its turn: its text is the result, checked against the final schema (one repair turn). */
  private finalAnswer(content: Anthropic.ContentBlock[]): Stop {
    const { spec, state, env } = this;
    const ownText = textOf(content);
    const text = ((state.cutText ?? '') + ownText).trim();
    this.endCut();
    if (!text) {
      if (!state.nudged) return this.nudge();
      const error = 'the model gave an empty answer, also when asked once more for its final answer';
      env.hooks.emit({ type: 'notice', runId: env.runId, level: 'warn', message: error });
      return this.finish('failed', { error, result: undefined });
    }
    if (!spec.finalSchema) return this.finish('completed', { result: text });
    const parsed = parseFinal(text, spec.finalSchema);
    if (parsed.ok) return this.finish('completed', { result: text, parsed: parsed.value });
    if (state.repaired) return this.finish('failed', { error: parsed.error, result: text });
    // One repair turn: show the model what was wrong with its final answer.
    state.repaired = true;
    state.messages.push({ role: 'user', content: `Your final answer is not valid: ${parsed.error}. Reply with only the corrected JSON.` });
    return undefined;
  }

  /**
   * An empty turn (real models do this after tool results): one request for the final answer. After
   * an empty turn the conversation ends with the user's turn, so the request joins that turn.
   */
  private nudge(): Stop {
    const { state, env } = this;
    state.nudged = true;
    env.hooks.emit({ type: 'notice', runId: env.runId, level: 'info', message: 'the model gave an empty answer; asking it once for its final answer' });
    const last = state.messages.at(-1);
    if (last?.role === 'user') {
      const blocks: Anthropic.ContentBlockParam[] = typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : [...last.content];
      last.content = [...blocks, { type: 'text', text: NUDGE }];
    } else {
      state.messages.push({ role: 'user', content: NUDGE });
    }
    this.journal.saveConversation(this.id, JSON.stringify(state));
    return undefined;
  }

  /** Runs a turn's tool calls and adds their results; stops when the agent must wait for the user or was cancelled. */
  private async runTools(toolUses: ToolUseBlock[], earlier: ToolResultBlock[]): Promise<Stop> {
    const { env } = this;
    const results = new Map<string, ToolResultBlock>(earlier.map((r) => [r.tool_use_id, r]));
    this.runner.announce(toolUses, new Set(results.keys()));
    const others = toolUses.filter((t) => t.name !== 'ask_user' && !results.has(t.id));
    const ran = await this.runner.run(others);
    for (const [i, t] of others.entries()) {
      const result = ran[i];
      if (result) results.set(t.id, result);
    }
    if (env.signal.aborted) return this.finish('cancelled', { error: 'cancelled by the user' });

    // An ask that already has a result (answered before a pause, or cut off by max_tokens) is not put again.
    for (const ask of toolUses.filter((t) => t.name === 'ask_user' && !results.has(t.id))) {
      const answer = await this.ask(
        ask,
        toolUses.map((t) => results.get(t.id)).filter((r): r is ToolResultBlock => r !== undefined),
      );
      if ('status' in answer) return answer;
      results.set(ask.id, answer);
    }
    const ordered = toolUses.map((t) => results.get(t.id) ?? toolError(t.id, 'not run'));
    this.state.messages.push({ role: 'user', content: ordered });
    this.state.pending = undefined;
    this.journal.saveConversation(this.id, JSON.stringify(this.state));
    return undefined;
  }

  /** Asks the user (question stored and run marked waiting before it is shown). */
  private async ask(use: ToolUseBlock, otherResults: ToolResultBlock[]): Promise<ToolResultBlock | AgentOutcome> {
    const parsed = parseToolInput('ask_user', use.input);
    if (!parsed.ok) return toolError(use.id, parsed.message);
    const question = this.journal.question(this.id, use.id, parsed.input as { question: string; options?: string[] });
    this.state.pending = { results: otherResults.filter((r) => r.tool_use_id !== use.id), askToolUseId: use.id };
    this.journal.saveConversation(this.id, JSON.stringify(this.state));
    const answer = await this.journal.ask(question);
    if (answer === undefined) return this.finish('waiting_user', { question });
    this.journal.toolFinished(use.id, { status: 'completed', output: answer, isError: false, durationMs: 0 });
    return { type: 'tool_result', tool_use_id: use.id, content: `The user answered: ${answer}` };
  }

  private finish(status: 'completed', f: { result: string; parsed?: unknown }): AgentOutcome;
  private finish(status: 'failed' | 'cancelled', f: { error: string; result?: string | undefined }): AgentOutcome;
  private finish(status: 'waiting_user', f: { question: QuestionRow }): AgentOutcome;
  private finish(
    status: 'completed' | 'failed' | 'cancelled' | 'waiting_user',
    f: { result?: string | undefined; parsed?: unknown; error?: string; question?: QuestionRow },
  ): AgentOutcome {
    const { env, spec } = this;
    const base = { agentCallId: this.id, usage: this.usage, costUsd: this.cost };
    if (status === 'waiting_user') {
      // The call stays `executing` on disk: it is paused mid-turn, not finished.
      return { status, question: f.question!, ...base };
    }
    this.journal.setCallStatus(this.id, status, { result: f.result, error: f.error });
    env.hooks.emit({
      type: 'agent.finished',
      runId: env.runId,
      agentCallId: this.id,
      role: spec.role,
      status,
      result: f.result,
      error: f.error,
      usage: this.usage,
      costUsd: this.cost,
    });
    if (status === 'completed') return { status, result: f.result ?? '', parsed: f.parsed, ...base };
    return { status, error: f.error ?? status, result: f.result, ...base };
  }
}

const warnedModels = new Set<string>();
function warnUnpricedModel(env: AgentEnv, model: string): void {
  if (warnedModels.has(model)) return;
  warnedModels.add(model);
  env.hooks.emit({ type: 'notice', runId: env.runId, level: 'warn', message: `no price known for model ${model}: costs are estimated at the highest rate` });
}

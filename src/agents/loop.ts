/**
 * The agent tool loop: system prompt + tools → stream → run the tool calls → tool_result → repeat,
 * until the model ends its turn, max turns, the budget, a question for the user, or cancel.
 * Every agent call and tool call is written to the store as it happens, so a `kill -9` at any
 * moment leaves a consistent database and a resumable conversation.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { parseStored } from '../store/json.js';
import { errorMessage } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { LlmClient, MessageParam } from '../llm/types.js';
import { LlmError } from '../llm/types.js';
import { textOf } from '../llm/content.js';
import { addUsage, emptyUsage, type Usage } from '../core/usage.js';
import type { PermissionMode, RunHooks } from '../core/run.js';
import {
  agentCallByLabel,
  finishToolCall,
  insertAgentCall,
  insertToolCall,
  recordAgentTurn,
  saveAgentMessages,
  setAgentStatus,
  setToolCallRunning,
  type AgentCallRow,
} from '../store/agent-calls.js';
import type { Db } from '../store/db.js';
import { insertQuestion, questionByToolCall, type QuestionRow } from '../store/questions.js';
import { askStoredQuestion } from './ask.js';
import { addRunUsage } from '../store/runs.js';
import { capOutput } from '../tools/output.js';
import { addRule, decide as decidePermission, denialMessage, listRules } from '../tools/permissions.js';
import { parseToolInput, toolDefinitions, toolsByName } from '../tools/registry.js';
import type { Effort } from '../llm/types.js';
import type { ToolSpec } from '../tools/types.js';
import type { Budget, FileClaims } from './budget.js';
import { agentSystemPrompt } from './prompt.js';
import { roles, type RoleId } from './roles.js';

/** The part of a tool_use block the loop needs (the same for a fresh response and a stored turn). */
type ToolUseBlock = { type: 'tool_use'; id: string; name: string; input: unknown };
type ToolResultBlock = Anthropic.ToolResultBlockParam;

/** What a pattern asks for: one sub-agent in one slot of the run (the label names the slot). */
export interface AgentSpec {
  label: string;
  role: RoleId;
  model: string;
  instructions: string;
  effort?: Effort | undefined;
  maxTurns?: number | undefined;
  decisionId?: string | undefined;
  /** When set, the final message must be JSON matching this schema (one repair turn is allowed). */
  finalSchema?: z.ZodType | undefined;
  /** Whether this agent's text is the answer the user sees (print mode streams it). */
  speaksToUser?: boolean | undefined;
  /** Offer ask_user to this agent (default true). */
  canAsk?: boolean | undefined;
}

export interface AgentEnv {
  db: Db;
  client: LlmClient;
  runId: string;
  project: string;
  root: string;
  repoFacts: string;
  hooks: RunHooks;
  signal: AbortSignal;
  permissionMode: PermissionMode;
  budget: Budget;
  /** Called before the first write or exec tool runs (the git checkpoint). */
  beforeChange?: (() => Promise<void>) | undefined;
  fileClaims?: FileClaims | undefined;
}

export type AgentOutcome =
  | { status: 'completed'; agentCallId: string; result: string; parsed?: unknown; usage: Usage; costUsd: number }
  | { status: 'failed' | 'cancelled'; agentCallId: string; error: string; result?: string | undefined; usage: Usage; costUsd: number }
  | { status: 'waiting_user'; agentCallId: string; question: QuestionRow; usage: Usage; costUsd: number };

/** The conversation as stored in agent_calls.messages_json (blocks are checked by the API when sent). */
const StoredAgentState = z.object({
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]) })),
  /** Set while an ask_user call waits: the other tool results of that turn, and the ask's tool_use id. */
  pending: z.object({ results: z.array(z.looseObject({ type: z.literal('tool_result'), tool_use_id: z.string() })), askToolUseId: z.string() }).optional(),
  repaired: z.boolean().optional(),
});
interface AgentState {
  messages: MessageParam[];
  pending?: { results: ToolResultBlock[]; askToolUseId: string } | undefined;
  repaired?: boolean | undefined;
}

const MAX_TOKENS = 16_384;
const MODEL_OUTPUT_CAP = 30_000;

export async function runAgent(spec: AgentSpec, env: AgentEnv): Promise<AgentOutcome> {
  const existing = agentCallByLabel(env.db, env.runId, spec.label);
  if (existing?.status === 'completed') return replayCompleted(existing, spec);
  return new AgentCall(spec, env, existing).run();
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

class AgentCall {
  private readonly id: string;
  private readonly state: AgentState;
  private usage = emptyUsage();
  private cost = 0;
  private turnsDone: number;
  private readonly tools: ToolSpec[];
  private readonly system: string;

  constructor(
    private readonly spec: AgentSpec,
    private readonly env: AgentEnv,
    existing: AgentCallRow | undefined,
  ) {
    const role = roles[spec.role];
    const names = [...role.tools, ...(spec.canAsk === false || spec.role === 'summarizer' ? [] : ['ask_user'])];
    this.tools = names.map((n) => toolsByName[n]).filter((t): t is ToolSpec => t !== undefined);
    this.system = agentSystemPrompt(spec.role, env.root, env.repoFacts);
    if (existing) {
      // Resume the same slot: its conversation continues where it stopped.
      this.id = existing.id;
      this.turnsDone = existing.turns;
      this.state = existing.messages_json
        ? (parseStored(StoredAgentState, existing.messages_json, `the conversation of agent call ${existing.id}`) as AgentState)
        : { messages: [] };
    } else {
      this.id = newId('a');
      this.turnsDone = 0;
      this.state = { messages: [] };
      insertAgentCall(env.db, {
        id: this.id,
        runId: env.runId,
        decisionId: spec.decisionId,
        role: spec.role,
        label: spec.label,
        model: spec.model,
        instructions: spec.instructions,
      });
    }
    if (this.state.messages.length === 0) this.state.messages.push({ role: 'user', content: spec.instructions });
  }

  async run(): Promise<AgentOutcome> {
    const { env, spec } = this;
    setAgentStatus(env.db, this.id, 'executing');
    env.hooks.emit({ type: 'agent.started', runId: env.runId, agentCallId: this.id, role: spec.role, model: spec.model, label: spec.label });
    try {
      if (this.state.pending) {
        const resumed = await this.resumePending();
        if (resumed) return resumed;
      }
      return await this.loop();
    } catch (err) {
      if (env.signal.aborted || (err instanceof LlmError && err.kind === 'aborted')) return this.finish('cancelled', { error: 'cancelled by the user' });
      return this.finish('failed', { error: errorMessage(err) });
    }
  }

  private async loop(): Promise<AgentOutcome> {
    const { env, spec } = this;
    const maxTurns = spec.maxTurns ?? roles[spec.role].defaultMaxTurns;
    const definitions = toolDefinitions(this.tools.map((t) => t.name));
    for (;;) {
      if (env.signal.aborted) return this.finish('cancelled', { error: 'cancelled by the user' });
      if (env.budget.exceeded()) return this.finish('failed', { error: env.budget.describe(), result: this.lastText() });
      if (this.turnsDone >= maxTurns) return this.finish('failed', { error: `stopped after ${maxTurns} turns (max turns)`, result: this.lastText() });

      const requestStarted = Date.now();
      const res = await env.client.call({
        model: spec.model,
        system: this.system,
        tools: definitions.length ? definitions : undefined,
        messages: this.state.messages,
        maxTokens: MAX_TOKENS,
        effort: spec.effort ?? roles[spec.role].defaultEffort,
        signal: env.signal,
        onText: (text) => env.hooks.emit({ type: 'text.delta', runId: env.runId, agentCallId: this.id, text }),
        onRetry: (info) => env.hooks.emit({ type: 'llm.retry', runId: env.runId, agentCallId: this.id, ...info }),
      });
      this.turnsDone++;
      if (res.costEstimated) warnUnpricedModel(env, spec.model);
      this.usage = addUsage(this.usage, res.usage);
      this.cost += res.costUsd;
      env.budget.add(res.costUsd);
      addRunUsage(env.db, env.runId, res.usage, res.costUsd);
      env.hooks.emit({ type: 'llm.usage', runId: env.runId, agentCallId: this.id, usage: res.usage, costUsd: res.costUsd, durationMs: Date.now() - requestStarted, stopReason: res.stopReason });

      // The API rejects empty text blocks when they are sent back; drop them.
      const content = res.content.filter((b) => !(b.type === 'text' && b.text === ''));
      const toolUses = content.filter((b) => b.type === 'tool_use') as ToolUseBlock[];
      if (content.length) this.state.messages.push({ role: 'assistant', content: content as Anthropic.ContentBlockParam[] });
      recordAgentTurn(env.db, this.id, res.usage, res.costUsd, res.retries, JSON.stringify(this.state));

      if (toolUses.length === 0) {
        const text = textOf(content).trim();
        if (!spec.finalSchema) return this.finish('completed', { result: text });
        const parsed = parseFinal(text, spec.finalSchema);
        if (parsed.ok) return this.finish('completed', { result: text, parsed: parsed.value });
        if (this.state.repaired || content.length === 0) return this.finish('failed', { error: parsed.error, result: text });
        // One repair turn: show the model what was wrong with its final answer.
        this.state.repaired = true;
        this.state.messages.push({ role: 'user', content: `Your final answer is not valid: ${parsed.error}. Reply with only the corrected JSON.` });
        continue;
      }

      const outcome = await this.runTools(toolUses, []);
      if (outcome) return outcome;
    }
  }

  /** Runs a turn's tool calls; returns an outcome when the agent must stop (waiting for the user, cancelled). */
  private async runTools(toolUses: ToolUseBlock[], earlier: ToolResultBlock[]): Promise<AgentOutcome | undefined> {
    const { env } = this;
    const results = new Map<string, ToolResultBlock>(earlier.map((r) => [r.tool_use_id, r]));
    const asks = toolUses.filter((t) => t.name === 'ask_user');
    const others = toolUses.filter((t) => t.name !== 'ask_user' && !results.has(t.id));
    for (const t of toolUses) {
      insertToolCall(env.db, { id: t.id, agentCallId: this.id, runId: env.runId, name: t.name, input: t.input });
      if (!results.has(t.id)) env.hooks.emit({ type: 'tool.requested', runId: env.runId, agentCallId: this.id, toolCallId: t.id, name: t.name, input: t.input });
    }
    // Reads run concurrently; writes and commands run one at a time, in the model's order.
    let batch: ToolUseBlock[] = [];
    const flush = async () => {
      const done = await Promise.all(batch.map((t) => this.runTool(t)));
      done.forEach((r) => results.set(r.tool_use_id, r));
      batch = [];
    };
    for (const t of others) {
      if (toolsByName[t.name]?.permission === 'read') {
        batch.push(t);
        continue;
      }
      await flush();
      if (env.signal.aborted) break;
      results.set(t.id, await this.runTool(t));
    }
    await flush();
    if (env.signal.aborted) return this.finish('cancelled', { error: 'cancelled by the user' });

    for (const ask of asks) {
      const answer = await this.ask(ask, toolUses.map((t) => results.get(t.id)).filter((r): r is ToolResultBlock => r !== undefined));
      if ('status' in answer) return answer;
      results.set(ask.id, answer);
    }
    const ordered = toolUses.map((t) => results.get(t.id) ?? toolError(t.id, 'not run'));
    this.state.messages.push({ role: 'user', content: ordered });
    this.state.pending = undefined;
    saveAgentMessages(env.db, this.id, JSON.stringify(this.state));
    return undefined;
  }

  /** Asks the user (question stored and run marked waiting before it is shown). */
  private async ask(use: ToolUseBlock, otherResults: ToolResultBlock[]): Promise<ToolResultBlock | AgentOutcome> {
    const { env } = this;
    const parsed = parseToolInput('ask_user', use.input);
    if (!parsed.ok) return toolError(use.id, parsed.message);
    const input = parsed.input as { question: string; options?: string[] };
    const question =
      questionByToolCall(env.db, use.id) ??
      insertQuestion(env.db, { runId: env.runId, agentCallId: this.id, toolCallId: use.id, question: input.question, options: input.options });
    this.state.pending = { results: otherResults.filter((r) => r.tool_use_id !== use.id), askToolUseId: use.id };
    saveAgentMessages(env.db, this.id, JSON.stringify(this.state));
    const answer = await askStoredQuestion(env.db, env.hooks, question);
    return answer === undefined ? this.finish('waiting_user', { question }) : this.answered(use.id, answer);
  }

  private answered(toolUseId: string, answer: string): ToolResultBlock {
    finishToolCall(this.env.db, toolUseId, { status: 'completed', output: answer, isError: false, durationMs: 0 });
    return { type: 'tool_result', tool_use_id: toolUseId, content: `The user answered: ${answer}` };
  }

  /** Continues a call that stopped on ask_user: the stored answer completes that turn's tool results. */
  private async resumePending(): Promise<AgentOutcome | undefined> {
    const pending = this.state.pending!;
    const last = this.state.messages.at(-1);
    const blocks = Array.isArray(last?.content) ? (last.content as { type: string }[]) : [];
    const toolUses = blocks.filter((b): b is ToolUseBlock => b.type === 'tool_use');
    return this.runTools(toolUses, pending.results);
  }

  private async runTool(use: ToolUseBlock): Promise<ToolResultBlock> {
    const { env } = this;
    // Reset once permission is given: a tool's duration is its own work, not the user's thinking time.
    let started = Date.now();
    const spec = this.tools.find((t) => t.name === use.name);
    const done = (output: string, isError: boolean, status: 'completed' | 'failed' | 'denied' | 'cancelled', summary?: string, permission?: string) => {
      const durationMs = Date.now() - started;
      const capped = capOutput(output, MODEL_OUTPUT_CAP);
      finishToolCall(env.db, use.id, { status, output, isError, durationMs, permission });
      env.hooks.emit({
        type: 'tool.finished',
        runId: env.runId,
        agentCallId: this.id,
        toolCallId: use.id,
        name: use.name,
        isError,
        output: capped,
        durationMs,
        summary,
      });
      return isError ? toolError(use.id, capped) : ({ type: 'tool_result', tool_use_id: use.id, content: capped || '(no output)' } as ToolResultBlock);
    };
    if (!spec) {
      return done(`unknown tool "${use.name}"; available tools: ${this.tools.map((t) => t.name).join(', ')}`, true, 'failed');
    }
    const parsed = parseToolInput(spec.name, use.input);
    if (!parsed.ok) return done(parsed.message, true, 'failed');
    const input = parsed.input;

    const permission = await this.permit(spec, input, use.id);
    if (permission.denied) return done(permission.denied, true, 'denied', 'denied', 'denied');

    if (spec.permission === 'write' || spec.permission === 'exec') await env.beforeChange?.();
    if (spec.permission === 'write' && env.fileClaims) {
      const path = (input as { path?: string }).path;
      const owner = path ? env.fileClaims.claim(path, this.id) : undefined;
      if (owner) return done(`${path} is being changed by another worker in this run; leave it to them and work on your own files`, true, 'denied');
    }
    started = Date.now();
    setToolCallRunning(env.db, use.id, permission.how);
    try {
      const result = await spec.run(input, { root: env.root, signal: env.signal });
      const status = env.signal.aborted ? 'cancelled' : result.isError ? 'failed' : 'completed';
      return done(result.output, result.isError, status, result.summary, permission.how);
    } catch (err) {
      // Tools should not throw; if one does, the model still gets an answer it can act on.
      return done(`${spec.name} failed: ${errorMessage(err)}`, true, 'failed');
    }
  }

  private async permit(spec: ToolSpec, input: unknown, toolCallId: string): Promise<{ how: string; denied?: string }> {
    const { env } = this;
    const rules = listRules(env.db, env.project);
    const verdict = decidePermission(env.permissionMode, spec, input, rules);
    if (verdict === 'allow') return { how: spec.permission === 'read' ? 'auto' : env.permissionMode === 'ask' ? 'rule' : env.permissionMode };
    if (verdict === 'deny') return { how: 'denied', denied: denialMessage(spec, 'read-only') };
    const summary = spec.describe(input as never);
    const rule = spec.ruleKey(input as never);
    if (!env.hooks.askPermission) return { how: 'denied', denied: denialMessage(spec, 'no-terminal') };
    env.hooks.emit({ type: 'permission.needed', runId: env.runId, agentCallId: this.id, toolCallId, name: spec.name, summary });
    const answer = await env.hooks.askPermission({ runId: env.runId, toolCallId, tool: spec.name, summary, rule });
    env.hooks.emit({ type: 'permission.answered', runId: env.runId, toolCallId, answer, rule: answer === 'always' ? rule : undefined });
    if (answer === 'always') addRule(env.db, env.project, rule);
    if (answer === 'deny') return { how: 'denied', denied: denialMessage(spec, 'user') };
    return { how: answer };
  }

  private lastText(): string | undefined {
    for (let i = this.state.messages.length - 1; i >= 0; i--) {
      const m = this.state.messages[i]!;
      if (m.role === 'assistant') return (typeof m.content === 'string' ? m.content : textOf(m.content as { type: string; text?: string }[])).trim();
    }
    return undefined;
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
    setAgentStatus(env.db, this.id, status, { result: f.result, error: f.error });
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

function toolError(id: string, message: string): ToolResultBlock {
  return { type: 'tool_result', tool_use_id: id, content: message || 'error', is_error: true };
}

/** The final JSON of a structured agent: the last fenced ```json block, else the outermost {...}. */
export function parseFinal(text: string, schema: z.ZodType): { ok: true; value: unknown } | { ok: false; error: string } {
  const fenced = [...text.matchAll(/```(?:json)?\s*([\s\S]*?)```/g)].at(-1)?.[1];
  const candidate = fenced ?? text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  let json: unknown;
  try {
    json = JSON.parse(candidate);
  } catch {
    return { ok: false, error: 'expected a JSON object' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
}

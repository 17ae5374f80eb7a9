/**
 * The OrchestrationContext of one user run: its decisions, its agent calls, what happened since
 * the last decision (the delta a revision sees), its budget. Kept apart from the thread's messages
 * and never summarised away. Everything it does is journaled in the store, so re-running a
 * pattern against the same run replays finished work (decisions, agent calls, answered questions)
 * instead of repeating it: that is how a paused or crashed run resumes where it stopped.
 */
import { runAgent, type AgentEnv, type AgentOutcome, type AgentSpec } from '../agents/engine.js';
import type { Budget, FileClaims } from '../agents/budget.js';
import { isBuiltInRole, roleDefaults, roles } from '../agents/roles.js';
import type { AgentFile } from '../extensions/agents.js';
import { displayPath } from '../extensions/files.js';
import type { Playbook } from '../extensions/playbooks.js';
import type { ToolSpec } from '../tools/types.js';
import { toolsByName } from '../tools/registry.js';
import type { LoadedExtensions } from './extensions.js';
import type { McpRuntime } from './mcp.js';
import { runMenu, type RunMenu } from './menu.js';
import type { LlmClient } from '../llm/types.js';
import { StoredDecision, Revision, type Decision as DecisionT, type Revision as RevisionT } from '../patterns/decision.js';
import type { AgentExtras, AgentSlot, PatternContext } from '../patterns/types.js';
import type { DecisionRow } from '../store/decisions.js';
import type { Journal } from '../store/journal.js';
import type { QuestionRow } from '../store/questions.js';
import type { RunRow } from '../store/runs.js';
import { askStoredQuestion } from '../agents/ask.js';
import { decide, buildDecisionInput, RefusedCall, type DecisionRecord } from './decide.js';
import { revise } from './revise.js';
import { oneLine } from '../core/text.js';
import type { RunHooks, RunOptions } from '../core/run.js';

/** Thrown through a pattern when the run must wait for the user's answer. */
export class WaitingForUser extends Error {
  constructor(readonly question: QuestionRow) {
    super('waiting for the user');
  }
}

export interface ContextDeps {
  journal: Journal;
  client: LlmClient;
  run: RunRow;
  root: string;
  repoFacts: string;
  hooks: RunHooks;
  signal: AbortSignal;
  options: RunOptions;
  budget: Budget;
  beforeChange?: (() => Promise<void>) | undefined;
  /** Agent files, playbooks and the menu of this run (default: the built-ins only). */
  extensions?: LoadedExtensions | undefined;
  /** The process's MCP servers, connected before the first agent that could use them. */
  mcp?: McpRuntime | undefined;
}

export class OrchestrationContext implements PatternContext {
  /** The decision currently in force (initial, or the latest revision that changed course). */
  decision!: DecisionT;
  decisionId!: string;
  private delta: string[] = [];
  private revisionCalls = 0;
  private questionCalls = 0;
  private readonly stored: DecisionRow[];
  private readonly menu: RunMenu;
  private readonly warned = new Set<string>();

  constructor(readonly deps: ContextDeps) {
    this.stored = deps.journal.runDecisions(deps.run.id);
    this.menu = runMenu(deps.extensions);
  }

  get journal(): Journal {
    return this.deps.journal;
  }
  get runId(): string {
    return this.deps.run.id;
  }
  get prompt(): string {
    return this.deps.run.prompt;
  }

  /** The run's first decision: replayed from the store when resuming, else one orchestrator call. */
  async initialDecision(): Promise<void> {
    const first = this.stored[0];
    if (first) {
      // Replayed, and announced again so a front end shows the run's header on resume too.
      this.decision = StoredDecision.parse(JSON.parse(first.decision_json));
      this.decisionId = first.id;
      this.announce({ id: first.id, kind: first.kind, decision: this.decision });
      return;
    }
    const { journal, client, run, repoFacts, signal, options } = this.deps;
    const { db } = journal;
    const input = buildDecisionInput({ db, project: run.project, threadId: run.thread_id, prompt: run.prompt, repoFacts });
    const record = await this.accountRefusal(decide({ db, client, runId: run.id, model: options.orchestratorModel, input, menu: this.menu, signal }));
    this.account(record);
    this.decision = record.decision;
    this.decisionId = record.id;
    this.announce(record);
    if (record.kind === 'fallback') {
      // Never silent: print mode writes it to stderr, the session shows it, stream-json has the event.
      this.warn(
        `the orchestrator's decision failed (${record.fallbackCause ?? 'no cause recorded'}); falling back to direct: one coder takes the whole request`,
      );
    }
  }

  /** Records what happened, for the next revision's delta. */
  note(line: string): void {
    this.delta.push(line);
  }

  warn(message: string): void {
    this.deps.hooks.emit({ type: 'notice', runId: this.runId, level: 'warn', message });
  }

  /**
   * Between phases: the orchestrator may revise from the delta since its last decision (at most 3
   * per run). Returns the revision (action continue / change / stop), or null when none was made.
   */
  async revise(): Promise<RevisionT | null> {
    const n = ++this.revisionCalls;
    const replay = this.stored.filter((d) => d.kind === 'revision')[n - 1];
    let revision: RevisionT | null = null;
    if (replay) {
      const parsed = Revision.safeParse(JSON.parse(replay.decision_json));
      revision = parsed.success ? parsed.data : null;
      if (revision && revision.action === 'change') this.decisionId = replay.id;
    } else {
      const { journal, client, run, signal, options } = this.deps;
      const record = await this.accountRefusal(
        revise({
          db: journal.db,
          client,
          runId: run.id,
          model: options.orchestratorModel,
          previous: this.decision,
          delta: this.delta.join('\n'),
          menu: this.menu,
          signal,
        }),
      );
      if (record) {
        this.account(record);
        revision = record.decision;
        if (revision.action === 'change') this.decisionId = record.id;
        this.announce(record);
      }
    }
    this.delta = [];
    if (revision?.action === 'change') this.decision = revision;
    return revision;
  }

  /** Runs one sub-agent in a named slot of this run (replayed if that slot already finished). */
  async agent(slot: AgentSlot, extra: AgentExtras = {}): Promise<AgentOutcome> {
    const { fileClaims, ...specExtra } = extra;
    let role = slot.role;
    const file = isBuiltInRole(role) ? undefined : this.deps.extensions?.agents.find((a) => a.name === role);
    if (!isBuiltInRole(role) && !file) {
      // Only a resumed run meets this: the decision named an agent file that is gone since.
      this.warnOnce(`the agent file "${role}" is no longer loaded; a coder takes its place`);
      role = 'coder';
    }
    const finished = this.deps.journal.agentCallByLabel(this.runId, slot.label)?.status === 'completed';
    const runModel = role === 'summarizer' ? this.deps.options.orchestratorModel : this.deps.options.model;
    const spec: AgentSpec = {
      ...slot,
      ...specExtra,
      role,
      model: slot.model ?? (file?.model && file.model !== 'inherit' ? file.model : runModel),
      effort: slot.effort ?? file?.effort,
      maxTurns: slot.maxTurns ?? file?.maxTurns ?? roleDefaults(role).defaultMaxTurns,
      decisionId: this.decisionId,
      // A finished slot is replayed from the store: no tools needed, no server connected for it.
      tools: finished ? undefined : await this.toolsFor(role, file),
      agentFile: file && { system: file.system, path: displayPath(file.path, this.deps.root), hash: file.hash },
    };
    const outcome = await runAgent(spec, this.agentEnv(fileClaims));
    if (outcome.status === 'waiting_user') throw new WaitingForUser(outcome.question);
    this.note(
      outcome.status === 'completed'
        ? `${slot.label} (${role}) completed: ${oneLine(outcome.result, 400)}`
        : `${slot.label} (${role}) ${outcome.status}: ${outcome.error}`,
    );
    return outcome;
  }

  /**
   * The agent's tool set when it is not simply its role's: an agent file's list (built-in and MCP
   * tools), or the coder's tools plus every MCP tool. MCP servers connect here, before the first
   * agent that could use them; an agent that cannot never waits for them.
   */
  private async toolsFor(role: string, file: AgentFile | undefined): Promise<ToolSpec[] | undefined> {
    const mcp = this.deps.mcp;
    if (!file) {
      if (role !== 'coder' || !mcp) return undefined;
      return [...roles.coder.tools.map((n) => toolsByName[n]!), ...(await mcp.ready(this.deps.hooks, this.runId))];
    }
    const wantsMcp = file.tools.some((n) => n.startsWith('mcp__'));
    const mcpTools = wantsMcp && mcp ? await mcp.ready(this.deps.hooks, this.runId) : [];
    const tools: ToolSpec[] = [];
    const missing: string[] = [];
    for (const name of file.tools) {
      const spec = toolsByName[name] ?? mcpTools.find((t) => t.name === name);
      if (spec) tools.push(spec);
      else missing.push(name);
    }
    if (missing.length)
      this.warnOnce(`agent "${file.name}": ${missing.join(', ')} not available (MCP server not configured, approved or connected); it runs without`);
    return tools;
  }

  /** The playbook the decision named, recorded on the run. */
  usePlaybook(id: string): Playbook | undefined {
    const playbook = this.deps.extensions?.playbooks.find((p) => p.id === id);
    if (playbook) this.deps.journal.setRunPlaybook(this.runId, { id, path: displayPath(playbook.path, this.deps.root), hash: playbook.hash });
    return playbook;
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.warn(message);
  }

  /** Asks the user a question on the orchestrator's behalf (clarify, a plan's missing parameter). */
  async askUser(question: string, options?: string[]): Promise<string> {
    const n = this.questionCalls++;
    const { journal, hooks } = this.deps;
    // Orchestrator-level questions have no agent call; replay them in the order they were asked.
    const own = journal.runQuestions(this.runId).filter((q) => q.agent_call_id === null);
    const q = own[n] ?? journal.insertQuestion({ runId: this.runId, question, options });
    const answered = q.answer !== null;
    const answer = await askStoredQuestion(journal.db, hooks, q);
    if (answer === undefined) throw new WaitingForUser(q);
    if (answered) return answer;
    this.note(`the user was asked "${q.question}" and answered: ${answer}`);
    return answer;
  }

  private agentEnv(fileClaims?: FileClaims): AgentEnv {
    const { journal, client, run, root, repoFacts, hooks, signal, options, budget, beforeChange } = this.deps;
    return {
      db: journal.db,
      client,
      runId: run.id,
      project: run.project,
      root,
      repoFacts,
      hooks,
      signal,
      permissionMode: options.permissionMode,
      budget,
      beforeChange,
      fileClaims,
      contextWindows: options.contextWindows,
    };
  }

  /** A refused decision or revision still cost tokens: counted before the refusal ends the run. */
  private async accountRefusal<T>(call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (err) {
      if (err instanceof RefusedCall) this.account(err);
      throw err;
    }
  }

  private account(record: { usage: DecisionRecord['usage']; costUsd: number }): void {
    this.deps.budget.add(record.costUsd);
    this.deps.journal.addRunUsage(this.runId, record.usage, record.costUsd);
  }

  private announce(record: { id: string; kind: DecisionRecord['kind']; decision: DecisionT; fallbackCause?: string | undefined }): void {
    const d = record.decision;
    this.deps.hooks.emit({
      type: 'decision.made',
      runId: this.runId,
      decisionId: record.id,
      kind: record.kind,
      pattern: d.pattern,
      reasoning: d.reasoning,
      agents: d.agents.map((a) => ({ role: a.role, model: a.model, instructions: a.instructions })),
      confidence: d.confidence,
      fallbackCause: record.fallbackCause,
    });
  }
}

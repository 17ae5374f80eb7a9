/**
 * baton's metrics. Names are those of `baton stats --format prometheus` where the figure is the
 * same (baton_runs, baton_run_outcomes, baton_run_duration_seconds, baton_agent_calls,
 * baton_agent_call_failures, baton_agent_call_retries, baton_cost_usd), plus what only a live
 * stream has (tokens by model and role, tool calls, decision latency).
 */
import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import type { Usage } from '../core/usage.js';

export type Part = 'orchestrator' | 'workers';

export class Instruments {
  private readonly runs: Counter;
  private readonly outcomes: Counter;
  private readonly runDuration: Histogram;
  private readonly runCost: Histogram;
  private readonly agentCalls: Counter;
  private readonly agentFailures: Counter;
  private readonly retries: Counter;
  private readonly tokens: Counter;
  private readonly cost: Counter;
  private readonly toolCalls: Counter;
  private readonly decisionDuration: Histogram;

  constructor(meter: Meter) {
    this.runs = meter.createCounter('baton_runs', { description: 'Runs finished, by pattern and status.' });
    this.outcomes = meter.createCounter('baton_run_outcomes', { description: 'Analysed runs by pattern and outcome.' });
    this.runDuration = meter.createHistogram('baton_run_duration_seconds', { description: 'Wall time of finished runs, by pattern.', unit: 's' });
    this.runCost = meter.createHistogram('baton_run_cost_usd', {
      description: 'Cost of a run in US dollars (analysis not included), by pattern.',
      unit: 'USD',
    });
    this.agentCalls = meter.createCounter('baton_agent_calls', { description: 'Sub-agent calls, by role, model and status.' });
    this.agentFailures = meter.createCounter('baton_agent_call_failures', { description: 'Sub-agent calls that failed, by role.' });
    this.retries = meter.createCounter('baton_agent_call_retries', { description: 'API retries within sub-agent calls, by role and model.' });
    this.tokens = meter.createCounter('baton_tokens', {
      description: 'Tokens by model, role and type (input, output, cache_read, cache_write).',
      unit: '{token}',
    });
    this.cost = meter.createCounter('baton_cost_usd', { description: 'Cost in US dollars by part (orchestrator, workers), model and role.', unit: 'USD' });
    this.toolCalls = meter.createCounter('baton_tool_calls', { description: 'Tool calls by tool name and result (ok, error).' });
    this.decisionDuration = meter.createHistogram('baton_decision_duration_seconds', {
      description: "The orchestrator's decision latency, by kind and pattern.",
      unit: 's',
    });
  }

  run(pattern: string | null | undefined, status: string, durationMs: number | null, costUsd: number): void {
    const attrs = { pattern: pattern ?? 'none', status };
    this.runs.add(1, attrs);
    if (durationMs !== null) this.runDuration.record(durationMs / 1000, { pattern: attrs.pattern });
    this.runCost.record(costUsd, { pattern: attrs.pattern });
  }

  outcome(pattern: string | null | undefined, outcome: string): void {
    this.outcomes.add(1, { pattern: pattern ?? 'none', outcome });
  }

  agent(role: string, model: string, status: string): void {
    this.agentCalls.add(1, { role, model, status });
    if (status === 'failed') this.agentFailures.add(1, { role });
  }

  retry(role: string, model: string, count = 1): void {
    if (count > 0) this.retries.add(count, { role, model });
  }

  /** Tokens and cost of model calls: a worker's turn, a decision or an analysis (role orchestrator / analysis). */
  spend(part: Part, role: string, model: string | null | undefined, usage: Usage, costUsd: number): void {
    const m = model ?? 'unknown';
    const add = (type: string, n: number) => n > 0 && this.tokens.add(n, { model: m, role, type });
    add('input', usage.inputTokens);
    add('output', usage.outputTokens);
    add('cache_read', usage.cacheReadTokens);
    add('cache_write', usage.cacheWriteTokens);
    if (costUsd > 0) this.cost.add(costUsd, { part, model: m, role });
  }

  tool(name: string, isError: boolean): void {
    this.toolCalls.add(1, { name, result: isError ? 'error' : 'ok' });
  }

  decision(kind: string, pattern: string, durationMs: number): void {
    this.decisionDuration.record(durationMs / 1000, { kind, pattern });
  }
}

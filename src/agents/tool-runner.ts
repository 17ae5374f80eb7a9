/**
 * Runs one turn's tool calls: reads together, writes and commands one at a time in the model's
 * order (a read batch finishes before the next change starts), results in the model's order.
 * Each call is parsed, cleared by the guard, run, capped for the model, journaled and announced.
 */
import { errorMessage } from '../core/errors.js';
import type { RunHooks } from '../core/run.js';
import { capOutput } from '../tools/output.js';
import { parseToolInput, toolsByName } from '../tools/registry.js';
import type { ToolSpec } from '../tools/types.js';
import { notAllowed, type Guard } from './guard.js';
import type { AgentJournal, ToolCallStatus } from './journal.js';
import { toolError, type ToolResultBlock, type ToolUseBlock } from './types.js';

const MODEL_OUTPUT_CAP = 30_000;

/**
 * The scheduling rule on its own: consecutive reads run concurrently, anything else waits for
 * what came before and runs alone. Stops starting calls once `signal` aborts; a call not run has
 * no result. Results come back in the order of `calls`.
 */
export async function runInModelOrder<C, R>(
  calls: readonly C[],
  isRead: (call: C) => boolean,
  run: (call: C) => Promise<R>,
  signal: AbortSignal,
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = calls.map(() => undefined);
  let batch: number[] = [];
  const flush = async () => {
    const done = await Promise.all(batch.map((i) => run(calls[i]!)));
    for (const [k, i] of batch.entries()) results[i] = done[k];
    batch = [];
  };
  for (const [i, call] of calls.entries()) {
    if (isRead(call)) {
      batch.push(i);
      continue;
    }
    await flush();
    if (signal.aborted) break;
    results[i] = await run(call);
  }
  await flush();
  return results;
}

export interface ToolRunnerDeps {
  runId: string;
  agentCallId: string;
  root: string;
  hooks: RunHooks;
  signal: AbortSignal;
  journal: AgentJournal;
  guard: Guard;
  /** The agent's tool set: a call to any other tool is an error the model can act on. */
  tools: readonly ToolSpec[];
}

export class ToolRunner {
  constructor(private readonly deps: ToolRunnerDeps) {}

  /** Records every call of the turn and announces those still to run (`done` holds results a paused turn already has). */
  announce(uses: readonly ToolUseBlock[], done: ReadonlySet<string>): void {
    const { journal, hooks, runId, agentCallId } = this.deps;
    for (const t of uses) {
      journal.toolRequested({ id: t.id, agentCallId, name: t.name, input: t.input });
      if (!done.has(t.id))
        hooks.emit({ type: 'tool.requested', runId, agentCallId, toolCallId: t.id, name: t.name, input: t.input, ...display(t, this.deps.tools) });
    }
  }

  /** Runs the calls (ask_user excluded: the engine handles questions); results in the calls' order, undefined where cancel stopped it. */
  run(uses: readonly ToolUseBlock[]): Promise<(ToolResultBlock | undefined)[]> {
    return runInModelOrder(
      uses,
      (t) => toolsByName[t.name]?.permission === 'read',
      (t) => this.runOne(t),
      this.deps.signal,
    );
  }

  private async runOne(use: ToolUseBlock): Promise<ToolResultBlock> {
    const { journal, hooks, runId, agentCallId, signal, root } = this.deps;
    // Reset once the guard clears it: a tool's duration is its own work, not the user's thinking time.
    let started = Date.now();
    const done = (output: string, isError: boolean, status: ToolCallStatus, summary?: string, permission?: string, diff?: string): ToolResultBlock => {
      const durationMs = Date.now() - started;
      const capped = capOutput(output, MODEL_OUTPUT_CAP);
      journal.toolFinished(use.id, { status, output, isError, durationMs, permission, diff });
      hooks.emit({ type: 'tool.finished', runId, agentCallId, toolCallId: use.id, name: use.name, isError, output: capped, durationMs, summary, diff });
      return isError ? toolError(use.id, capped) : { type: 'tool_result', tool_use_id: use.id, content: capped || '(no output)' };
    };
    const spec = this.deps.tools.find((t) => t.name === use.name);
    if (!spec) {
      const available = this.deps.tools.map((t) => t.name).join(', ');
      // A tool that exists but is not this agent's (an agent file's list, a read-only role) is refused, not unknown.
      if (toolsByName[use.name] || use.name.startsWith('mcp__')) return done(notAllowed(use.name, available), true, 'denied', 'not allowed', 'denied');
      return done(`unknown tool "${use.name}"; available tools: ${available}`, true, 'failed');
    }
    const parsed = parseToolInput(spec.name, use.input, spec);
    if (!parsed.ok) return done(parsed.message, true, 'failed');
    const input = parsed.input;

    const clearance = await this.deps.guard.clear(spec, input, { agentCallId, toolCallId: use.id });
    if (!clearance.cleared) return done(clearance.message, true, 'denied', clearance.summary, clearance.permission);

    started = Date.now();
    journal.toolRunning(use.id, clearance.how);
    try {
      const result = await spec.run(input, { root, signal });
      const status = signal.aborted ? 'cancelled' : result.isError ? 'failed' : 'completed';
      return done(result.output, result.isError, status, result.summary, clearance.how, result.diff);
    } catch (err) {
      // Tools should not throw; if one does, the model still gets an answer it can act on.
      return done(`${spec.name} failed: ${errorMessage(err)}`, true, 'failed');
    }
  }
}

/** The tool's own title and subject for a call; a call with invalid input still shows what it named. */
export function display(use: Pick<ToolUseBlock, 'name' | 'input'>, tools: readonly ToolSpec[] = []): { title: string; subject: string } {
  const spec = tools.find((t) => t.name === use.name) ?? toolsByName[use.name];
  if (!spec) return { title: use.name, subject: '' };
  const parsed = spec.schema.safeParse(use.input);
  const input = parsed.success ? parsed.data : use.input;
  try {
    const title = spec.title(input);
    const subject = spec.subject(input);
    if (typeof title === 'string' && typeof subject === 'string') return { title, subject };
  } catch {
    // Invalid input the display functions cannot read: the tool's name is all there is to show.
  }
  return { title: use.name, subject: '' };
}

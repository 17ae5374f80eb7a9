/**
 * Print mode: `baton -p "<prompt>"` runs one run, streams the answer to stdout and exits with the
 * run's exit code. Nothing here waits on stdin: anything that would ask is denied (permissions) or
 * leaves the run waiting for `baton answer` (questions, exit 3).
 */
import { spawn } from 'node:child_process';
import { ExitCode, UserError } from '../core/errors.js';
import type { BatonEvent } from '../core/events.js';
import type { RunHooks, RunOptions, RunOutcome } from '../core/run.js';
import { mcpConfigured } from '../orchestrator/extensions.js';
import { resumeRun } from '../orchestrator/run.js';
import { openSession } from '../orchestrator/session.js';
import type { Db } from '../store/db.js';
import { openTelemetry } from '../telemetry/index.js';
import { makeClient } from './client.js';
import { linesToAnsi } from './render/ansi.js';
import type { MarkdownRenderer } from './render/load.js';
import { cutStream } from './render/markdown-split.js';
import { colorsEnabled } from './ui/theme.js';
import { contextClearedLine } from './ui/format.js';

export type OutputFormat = 'text' | 'json' | 'stream-json';

export interface PrintArgs {
  db: Db;
  dbPath: string;
  project: string;
  prompt: string;
  options: RunOptions;
  format: OutputFormat;
  thread?: string | 'latest' | undefined;
  /** Answer a waiting run instead of starting one. */
  answer?: { runId: string; text: string } | undefined;
  /** Resume an interrupted run. */
  resumeRunId?: string | undefined;
  waitAnalysis: boolean;
  /** Patterns retired by the config (src/extensions/config.ts). */
  disabledPatterns?: readonly string[] | undefined;
}

export async function runPrint(args: PrintArgs): Promise<number> {
  const client = await makeClient(); // fails fast, before anything is recorded, without a key
  const telemetry = openTelemetry({ db: args.db, notice: (m) => process.stderr.write(`baton: ${m}\n`) });
  // Once per process, and only with servers configured: else no MCP code loads. Servers start lazily.
  const mcp = mcpConfigured(args.project)
    ? await (await import('../orchestrator/mcp.js')).McpRuntime.open({
        root: args.project,
        db: args.db,
        fallback: (m) => process.stderr.write(`baton: ${m}\n`),
      })
    : undefined;
  const extensions = { disabledPatterns: args.disabledPatterns ?? [], mcp };

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    controller.abort();
    if (interrupts > 1) process.exit(ExitCode.cancelled); // a second Ctrl-C does not wait for the cleanup
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  // On a terminal the answer is rendered markdown; into a pipe it stays markdown (and nothing loads for it).
  const markdown = args.format === 'text' && process.stdout.isTTY ? await loadRenderer() : undefined;
  const printer = new Printer(args.format, markdown);
  const printed: RunHooks = { emit: (e) => printer.event(e) };
  const hooks = telemetry ? telemetry.observe(printed) : printed;
  let analyze: (() => Promise<void>) | undefined;
  try {
    let outcome: RunOutcome;
    if (args.answer || args.resumeRunId) {
      const runId = args.answer?.runId ?? args.resumeRunId!;
      const started = await resumeRun({ db: args.db, client, root: args.project, hooks, signal: controller.signal, extensions }, runId, args.answer?.text);
      outcome = started.outcome;
      analyze = started.analyze;
    } else {
      const session = await openSession(
        { db: args.db, project: args.project, options: args.options, thread: args.thread },
        { client: async () => client, onAnalysis: (a) => (analyze = a), extensions: async () => extensions },
      );
      outcome = await session.run(args.prompt, hooks, controller.signal);
    }
    printer.outcome(outcome);
    if (analyze) {
      if (args.waitAnalysis) await analyze();
      else analyseInBackground(args.dbPath, outcome.runId);
    }
    return exitCodeOf(outcome);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await mcp?.close(); // no server process outlives the command
    await telemetry?.close(); // bounded: FLUSH_BOUND_MS at most
  }
}

function exitCodeOf(outcome: RunOutcome): number {
  switch (outcome.status) {
    case 'completed':
      return ExitCode.ok;
    case 'waiting_user':
      return ExitCode.waitingUser;
    case 'cancelled':
      return ExitCode.cancelled;
    default:
      return ExitCode.failed;
  }
}

/**
 * The post-run analysis must not delay the exit: a detached `baton analyze <run>` writes it.
 * (The in-process promise is simply abandoned when this process exits.)
 */
function analyseInBackground(dbPath: string, runId: string): void {
  if (process.env.BATON_ANALYSIS === 'off') return;
  const child = spawn(process.execPath, [process.argv[1]!, '--db', dbPath, 'analyze', runId], {
    detached: true,
    stdio: 'ignore',
    env: process.env,
  });
  child.unref();
}

async function loadRenderer(): Promise<MarkdownRenderer | undefined> {
  const { loadMarkdown } = await import('./render/load.js');
  return loadMarkdown().catch(() => undefined);
}

/** Streamed markdown held back until its block is complete (then it is written rendered). */
const CUT_LIMITS = { liveLines: 40, fenceLines: 200, maxChars: 16_000 };

/** Renders the event stream in one of the three output formats. */
class Printer {
  private streamed = false;
  private atLineStart = true;
  private turn = '';
  private readonly live = process.stdout.isTTY === true;
  private readonly speakers = new Set<string>();

  constructor(
    private readonly format: OutputFormat,
    private readonly markdown?: MarkdownRenderer,
  ) {}

  event(e: BatonEvent): void {
    if (this.format === 'stream-json') {
      process.stdout.write(`${JSON.stringify(e)}\n`);
      return;
    }
    if (this.format !== 'text') return;
    switch (e.type) {
      case 'agent.started':
        // The agents whose words are the answer: the single agent of `direct`, the aggregator of `parallel`.
        if (e.label === 'direct' || e.label === 'aggregate') this.speakers.add(e.agentCallId);
        break;
      case 'text.delta':
        if (!this.speakers.has(e.agentCallId)) break;
        // On a terminal the answer streams; into a pipe each model turn is written whole, so a
        // turn that is cut off and retried leaves nothing behind.
        if (this.markdown) this.streamMarkdown(e.text);
        else if (this.live) this.write(e.text);
        else this.turn += e.text;
        break;
      case 'llm.usage':
        if (!this.speakers.has(e.agentCallId)) break;
        // A refused turn's text is not the answer: into a pipe it is never written.
        if (e.stopReason === 'refusal') this.turn = '';
        this.writeTurn();
        // A new model turn begins on its own line, unless it continues a cut or paused one.
        if (!this.atLineStart && e.stopReason !== 'max_tokens' && e.stopReason !== 'pause_turn') this.write('\n');
        break;
      case 'llm.retry':
        if (e.resetText && this.speakers.has(e.agentCallId)) {
          this.turn = '';
          if (this.live && !this.atLineStart) this.write('\n');
        }
        process.stderr.write(
          `baton: ${e.reason}; retrying in ${(e.delayMs / 1000).toFixed(1)}s (attempt ${e.attempt})${e.resetText ? '; the answer restarts' : ''}\n`,
        );
        break;
      case 'context.cleared':
        // Information: only to a person at a terminal (stream-json carries the event itself).
        if (process.stderr.isTTY) process.stderr.write(`baton: ${contextClearedLine(e)}\n`);
        break;
      case 'notice':
        // Warnings always; information (e.g. "undo is unavailable here") only to a person at a terminal.
        if (e.level === 'warn' || process.stderr.isTTY) process.stderr.write(`baton: ${e.message}\n`);
        break;
      default:
        break;
    }
  }

  outcome(o: RunOutcome): void {
    if (this.format === 'json') {
      const body =
        o.status === 'waiting_user'
          ? { status: o.status, run_id: o.runId, thread_id: o.threadId, question: o.question?.question, options: o.question?.options ?? [] }
          : {
              status: o.status,
              result: o.result ?? null,
              error: o.error ?? null,
              run_id: o.runId,
              thread_id: o.threadId,
              pattern: o.pattern ?? null,
              usage: o.usage,
              cost_usd: o.costUsd,
              duration_ms: o.durationMs,
            };
      process.stdout.write(`${JSON.stringify(body)}\n`);
      return;
    }
    if (this.format !== 'text') return;
    if (o.status === 'waiting_user' && o.question) {
      const opts = o.question.options?.length ? ` [${o.question.options.join(' / ')}]` : '';
      process.stdout.write(`${this.atLineStart ? '' : '\n'}Question: ${o.question.question}${opts}\n`);
      process.stderr.write(`baton: run ${o.runId} waits for your answer: baton answer ${o.runId} "<text>"\n`);
      return;
    }
    this.writeTurn(); // a turn cut short by cancel or failure
    if (!this.streamed && o.result) this.writeMarkdown(o.result);
    if (!this.atLineStart) this.write('\n');
    if (o.status === 'failed') process.stderr.write(`baton: run failed: ${o.error ?? 'unknown error'}\n`);
    if (o.status === 'cancelled') process.stderr.write(`baton: run ${o.runId} cancelled\n`);
  }

  /** Complete blocks of the streamed answer are written rendered; the rest waits for its end. */
  private streamMarkdown(text: string): void {
    this.turn += text;
    const cut = cutStream(this.turn, CUT_LIMITS);
    if (!cut) return;
    this.turn = cut.rest;
    this.writeMarkdown(cut.done);
  }

  private writeTurn(): void {
    this.writeMarkdown(this.turn);
    this.turn = '';
  }

  private writeMarkdown(text: string): void {
    if (!this.markdown || !text.trim()) return this.write(text);
    const lines = this.markdown.render(text, process.stdout.columns || 80, colorsEnabled());
    this.write(`${linesToAnsi(lines)}\n`);
  }

  private write(text: string): void {
    if (!text) return;
    this.streamed = true;
    this.atLineStart = text.endsWith('\n');
    process.stdout.write(text);
  }
}

export async function readStdinPrompt(): Promise<string> {
  if (process.stdin.isTTY) throw new UserError('-p needs a prompt: baton -p "<prompt>" (or pipe it on stdin)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) throw new UserError('-p needs a prompt: baton -p "<prompt>" (or pipe it on stdin)');
  return text;
}

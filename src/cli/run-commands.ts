/**
 * What the prompt commands do (registered in commands/run.ts): the root command (print mode, or the
 * interactive session, loaded only then), `answer`, `resume` and the internal `analyze`.
 * Imported statically from here, so `baton -p` loads its path as a few chunks.
 */
import type { Command } from 'commander';
import { ExitCode, UserError } from '../core/errors.js';
import { loadEffectiveConfig, type Config } from '../extensions/config.js';
import { formatWarning } from '../extensions/types.js';
import { analyzeRun } from '../learning/analysis.js';
import { resolveRun, runOptions } from '../store/runs.js';
import { openTelemetry } from '../telemetry/index.js';
import { makeClient } from './client.js';
import { resolveRunOptions } from './config.js';
import { commandContext } from './globals.js';
import { readStdinPrompt, runPrint } from './print.js';
import { projectRoot } from './project.js';

export interface RootOptions {
  print?: string | true;
  outputFormat: 'text' | 'json' | 'stream-json';
  continue?: boolean;
  resume?: string | true;
  autoCommit?: boolean;
  waitAnalysis?: boolean;
}

/**
 * The user's config with the project's over it (only keys that cannot weaken safety); each ignored
 * key or broken file is one `baton:` line on stderr, once per command.
 */
function effectiveConfig(root?: string): { config: Config; disabledPatterns: string[] } {
  const { config, disabledPatterns, warnings } = loadEffectiveConfig({ root: root ?? projectRoot() });
  for (const w of warnings) process.stderr.write(`baton: ${formatWarning(w)}\n`);
  return { config, disabledPatterns };
}

export async function runRoot(opts: RootOptions, cmd: Command): Promise<number> {
  if (cmd.args.length > 0) throw new UserError(`unknown command "${cmd.args[0]}" (to run a prompt: baton -p "${cmd.args.join(' ')}")`);
  const { config, disabledPatterns } = effectiveConfig();
  const options = resolveRunOptions({ ...cmd.optsWithGlobals(), autoCommit: opts.autoCommit }, config);
  const thread = opts.continue ? 'latest' : typeof opts.resume === 'string' ? opts.resume : undefined;

  if (opts.print !== undefined) {
    const prompt = typeof opts.print === 'string' ? opts.print : await readStdinPrompt();
    // Checked before anything is opened or sent: an empty request would only waste a call.
    if (!prompt.trim()) throw new UserError('the prompt is empty', ExitCode.usage);
    const ctx = commandContext(cmd);
    return runPrint({ ...ctx, prompt, options, format: opts.outputFormat, thread, waitAnalysis: opts.waitAnalysis ?? false, disabledPatterns });
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UserError('the interactive session needs a terminal; for scripts use baton -p "<prompt>"');
  }
  const ctx = commandContext(cmd);
  const { runInteractive } = await import('./interactive.js');
  return runInteractive({ db: ctx.db, project: ctx.project, options, thread: opts.resume === true ? 'pick' : thread, disabledPatterns });
}

export async function continueRun(cmd: Command, runArg: string, answer: string | undefined): Promise<number> {
  const ctx = commandContext(cmd);
  const run = resolveRun(ctx.db, runArg);
  const root = cmd.parent!.opts<RootOptions>();
  if (answer !== undefined && !answer.trim()) throw new UserError('the answer is empty', ExitCode.usage);
  const { disabledPatterns } = effectiveConfig(run.project);
  return runPrint({
    ...ctx,
    project: run.project,
    prompt: run.prompt,
    options: runOptions(run),
    format: root.outputFormat,
    answer: answer !== undefined ? { runId: run.id, text: answer } : undefined,
    resumeRunId: answer === undefined ? run.id : undefined,
    waitAnalysis: root.waitAnalysis ?? false,
    disabledPatterns,
  });
}

/** `baton analyze <run>`: the post-run analysis, written by a detached process that print mode starts. */
export async function analyzeCommand(cmd: Command, runArg: string): Promise<void> {
  const ctx = commandContext(cmd);
  const run = resolveRun(ctx.db, runArg);
  await analyzeRun({ db: ctx.db, client: await makeClient(), runId: run.id, model: runOptions(run).orchestratorModel });
  // The analysis span joins the run's trace (its ids derive from the run id); nobody reads a notice here.
  const telemetry = openTelemetry({ db: ctx.db, notice: () => undefined });
  await telemetry?.analysisWritten(run.id).catch(() => undefined);
  await telemetry?.close();
}

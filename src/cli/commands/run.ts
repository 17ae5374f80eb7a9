import { Option, type Command } from 'commander';
import { ExitCode, UserError } from '../../core/errors.js';
import type { Config } from '../../extensions/config.js';

/**
 * The commands that run prompts: the root command (interactive session, or print mode with -p),
 * `answer`, `resume`, `status`, and the internal `analyze` that print mode starts in the background.
 */
export function registerRunCommands(program: Command): void {
  program
    .option('-p, --print [prompt]', 'run one prompt non-interactively and print the answer (prompt from stdin if omitted)')
    .addOption(new Option('--output-format <format>', 'print-mode output').choices(['text', 'json', 'stream-json']).default('text'))
    .option('-c, --continue', 'continue the latest thread in this project')
    .option('-r, --resume [thread]', 'resume a thread (a picker without an id)')
    .option('--auto-commit', "commit each run's changes (Conventional Commits message)")
    .option('--wait-analysis', 'print mode: wait for the post-run analysis before exiting')
    .action(async (opts: RootOptions, cmd: Command) => {
      process.exitCode = await runRoot(opts, cmd);
    });

  program
    .command('answer')
    .description('answer a run that waits for the user, and let it finish')
    .argument('<run>', 'run id (or a unique prefix)')
    .argument('<text...>', 'your answer')
    .action(async (runArg: string, text: string[], _o: unknown, cmd: Command) => {
      process.exitCode = await continueRun(cmd, runArg, text.join(' '));
    });

  program
    .command('resume')
    .description('resume an interrupted run at its first unfinished step')
    .argument('<run>', 'run id (or a unique prefix)')
    .action(async (runArg: string, _o: unknown, cmd: Command) => {
      process.exitCode = await continueRun(cmd, runArg, undefined);
    });

  program
    .command('status')
    .description("print a run's state (and its question, if it waits for you)")
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--json', 'print JSON')
    .action(async (runArg: string, o: { json?: boolean }, cmd: Command) => {
      const { runStatus } = await import('../status.js');
      process.exitCode = runStatus(cmd, runArg, o.json ?? false);
    });

  program
    .command('analyze', { hidden: true })
    .description('write the post-run analysis of a run (print mode starts this in the background)')
    .argument('<run>')
    .action(async (runArg: string, _o: unknown, cmd: Command) => {
      const [{ commandContext }, { makeClient }, { analyzeRun }, { resolveRun, runOptions }, { openTelemetry }] = await Promise.all([
        import('../globals.js'),
        import('../client.js'),
        import('../../learning/analysis.js'),
        import('../../store/runs.js'),
        import('../../telemetry/index.js'),
      ]);
      const ctx = commandContext(cmd);
      const run = resolveRun(ctx.db, runArg);
      await analyzeRun({ db: ctx.db, client: await makeClient(), runId: run.id, model: runOptions(run).orchestratorModel });
      // The analysis span joins the run's trace (its ids derive from the run id); nobody reads a notice here.
      const telemetry = openTelemetry({ db: ctx.db, notice: () => undefined });
      await telemetry?.analysisWritten(run.id).catch(() => undefined);
      await telemetry?.close();
    });
}

interface RootOptions {
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
async function effectiveConfig(root?: string): Promise<{ config: Config; disabledPatterns: string[] }> {
  const [{ loadEffectiveConfig }, { formatWarning }, { projectRoot }] = await Promise.all([
    import('../../extensions/config.js'),
    import('../../extensions/types.js'),
    import('../project.js'),
  ]);
  const { config, disabledPatterns, warnings } = loadEffectiveConfig({ root: root ?? projectRoot() });
  for (const w of warnings) process.stderr.write(`baton: ${formatWarning(w)}\n`);
  return { config, disabledPatterns };
}

async function runRoot(opts: RootOptions, cmd: Command): Promise<number> {
  const [{ commandContext }, { resolveRunOptions }] = await Promise.all([import('../globals.js'), import('../config.js')]);
  if (cmd.args.length > 0) throw new UserError(`unknown command "${cmd.args[0]}" (to run a prompt: baton -p "${cmd.args.join(' ')}")`);
  const { config, disabledPatterns } = await effectiveConfig();
  const options = resolveRunOptions({ ...cmd.optsWithGlobals(), autoCommit: opts.autoCommit }, config);
  const thread = opts.continue ? 'latest' : typeof opts.resume === 'string' ? opts.resume : undefined;

  if (opts.print !== undefined) {
    const { runPrint, readStdinPrompt } = await import('../print.js');
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
  const { runInteractive } = await import('../interactive.js');
  return runInteractive({ db: ctx.db, project: ctx.project, options, thread: opts.resume === true ? 'pick' : thread, disabledPatterns });
}

async function continueRun(cmd: Command, runArg: string, answer: string | undefined): Promise<number> {
  const [{ commandContext }, { resolveRun, runOptions }, { runPrint }] = await Promise.all([
    import('../globals.js'),
    import('../../store/runs.js'),
    import('../print.js'),
  ]);
  const ctx = commandContext(cmd);
  const run = resolveRun(ctx.db, runArg);
  const root = cmd.parent!.opts<RootOptions>();
  if (answer !== undefined && !answer.trim()) throw new UserError('the answer is empty', ExitCode.usage);
  const { disabledPatterns } = await effectiveConfig(run.project);
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

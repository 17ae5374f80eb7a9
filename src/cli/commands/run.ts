import { Option, type Command } from 'commander';
import { readFactsAhead } from '../../git/facts.js';
import { projectRoot } from '../project.js';
import type { RootOptions } from '../run-commands.js';

/**
 * The commands that run prompts: the root command (interactive session, or print mode with -p),
 * `answer`, `resume`, `status`, and the internal `analyze` that print mode starts in the background.
 * What they do lives in run-commands.ts, one module loaded when one of them runs: a command path
 * made of few chunks starts faster than one that pulls many small ones.
 */
const commands = () => import('../run-commands.js');

export function registerRunCommands(program: Command): void {
  program
    .option('-p, --print [prompt]', 'run one prompt non-interactively and print the answer (prompt from stdin if omitted)')
    .addOption(new Option('--output-format <format>', 'print-mode output').choices(['text', 'json', 'stream-json']).default('text'))
    .option('-c, --continue', 'continue the latest thread in this project')
    .option('-r, --resume [thread]', 'resume a thread (a picker without an id)')
    .option('--auto-commit', "commit each run's changes (Conventional Commits message)")
    .option('--wait-analysis', 'print mode: wait for the post-run analysis before exiting')
    .action(async (opts: RootOptions, cmd: Command) => {
      // A prompt's run will want the repository's facts: git reads them while its code loads.
      if (opts.print !== undefined && cmd.args.length === 0) readFactsAhead(projectRoot());
      process.exitCode = await (await commands()).runRoot(opts, cmd);
    });

  program
    .command('answer')
    .description('answer a run that waits for the user, and let it finish')
    .argument('<run>', 'run id (or a unique prefix)')
    .argument('<text...>', 'your answer')
    .action(async (runArg: string, text: string[], _o: unknown, cmd: Command) => {
      process.exitCode = await (await commands()).continueRun(cmd, runArg, text.join(' '));
    });

  program
    .command('resume')
    .description('resume an interrupted run at its first unfinished step')
    .argument('<run>', 'run id (or a unique prefix)')
    .action(async (runArg: string, _o: unknown, cmd: Command) => {
      process.exitCode = await (await commands()).continueRun(cmd, runArg, undefined);
    });

  program
    .command('status')
    .description("print a run's state (and its question, if it waits for you)")
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--json', 'print JSON')
    .action(async (runArg: string, o: { json?: boolean }, cmd: Command) => {
      // Its own small module: a status check loads none of the orchestrator.
      const { runStatus } = await import('../status.js');
      process.exitCode = runStatus(cmd, runArg, o.json ?? false);
    });

  program
    .command('analyze', { hidden: true })
    .description('write the post-run analysis of a run (print mode starts this in the background)')
    .argument('<run>')
    .action(async (runArg: string, _o: unknown, cmd: Command) => {
      await (await commands()).analyzeCommand(cmd, runArg);
    });
}

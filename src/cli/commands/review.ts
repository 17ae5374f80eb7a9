/**
 * Review commands: history, show, stats, search, report, gc. Registration only at import; each
 * action loads what it needs when it runs, and none of them loads ink, react or the SDK. History,
 * show, stats and search each load one module (review/commands/*.ts) that imports the rest: every
 * dynamic import is an esbuild entry, and an entry that other code also imports statically comes
 * with a facade chunk of its own (each ES module costs Node about a millisecond before it runs).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { RunStatus } from '../../core/events.js';
import type { ScopeFlags } from '../review/context.js';

const statuses: readonly RunStatus[] = ['running', 'waiting_user', 'completed', 'failed', 'cancelled', 'interrupted'];

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('give a whole number above 0.');
  return n;
}

async function since(flags: { since?: string | undefined }): Promise<number | undefined> {
  if (flags.since === undefined) return undefined;
  const { parseTimeSpec } = await import('../review/time-spec.js');
  return parseTimeSpec(flags.since, '--since');
}

async function view() {
  const { terminalView } = await import('../review/format.js');
  return terminalView();
}

export function registerReviewCommands(program: Command): void {
  const allProjects = () => new Option('--all-projects', 'include every project in the database, not just this one');
  const sinceOption = () => new Option('--since <when>', 'only runs started since an age (30m, 12h, 7d, 2w) or a date (2025-01-31)');
  const jsonOption = () => new Option('--json', 'print JSON instead of text');

  program
    .command('history')
    .description("this project's runs, newest first")
    .addOption(allProjects())
    .addOption(new Option('--limit <n>', 'how many runs').argParser(positiveInt).default(20))
    .addOption(new Option('--status <status>', 'only runs with this status').choices(statuses))
    .addOption(new Option('--pattern <id>', 'only runs that used this pattern'))
    .addOption(sinceOption())
    .addOption(jsonOption())
    .action(async (flags: ScopeFlags & { limit: number; status?: RunStatus; pattern?: string }, cmd: Command) =>
      (await import('../review/commands/history.js')).historyCommand(flags, cmd),
    );

  program
    .command('show')
    .description('everything recorded about a run (decisions, agents, tool calls, outcome), or the runs of a thread')
    .argument('[id]', 'run or thread id, or a unique prefix of one (default: the latest run here)')
    .addOption(jsonOption())
    .option('--diff', "the run's file changes as unified diffs (coloured on a terminal)")
    .action(async (id: string | undefined, flags: { json?: boolean; diff?: boolean }, cmd: Command) =>
      (await import('../review/commands/show.js')).showCommand(id, flags, cmd),
    );

  program
    .command('stats')
    .description('per pattern and per role: runs, success, time, cost, tokens, feedback; the orchestrator share of cost')
    .addOption(allProjects())
    .addOption(sinceOption())
    .addOption(jsonOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'prometheus']).default('text'))
    .action(async (flags: ScopeFlags & { format: string }, cmd: Command) => (await import('../review/commands/stats.js')).statsCommand(flags, cmd));

  program
    .command('search')
    .description('full-text search over prompts, decision reasoning, analyses and lessons, best match first')
    .argument('<text...>', 'words to find (all must match; end a word with * to match its prefix)')
    .addOption(allProjects())
    .addOption(new Option('--limit <n>', 'how many matches').argParser(positiveInt).default(20))
    .addOption(jsonOption())
    .action(async (words: string[], flags: ScopeFlags & { limit: number }, cmd: Command) =>
      (await import('../review/commands/search.js')).searchCommand(words, flags, cmd),
    );

  program
    .command('report')
    .description('write one self-contained HTML page: outcomes and cost per pattern over time, and the timeline of a run')
    .addOption(new Option('--out <file>', 'where to write it ("-" for stdout)').default('baton-report.html'))
    .addOption(new Option('--run <id>', 'the run whose timeline is drawn (default: the latest)'))
    .addOption(allProjects())
    .addOption(sinceOption())
    .action(async (flags: ScopeFlags & { out: string; run?: string }, cmd: Command) => {
      const [{ withReview, print }, { buildReport }, store, { writeFileSync }, { resolve }, { UserError }] = await Promise.all([
        import('../review/context.js'),
        import('../review/report.js'),
        import('../../store/views/ids.js'),
        import('node:fs'),
        import('node:path'),
        import('../../core/errors.js'),
      ]);
      const from = await since(flags);
      await withReview(cmd, { needRuns: 'project', allProjects: flags.allProjects }, ({ db, project }) => {
        let runId = store.latestRunId(db, flags.allProjects ? undefined : project);
        if (flags.run !== undefined) {
          const target = store.resolveId(db, flags.run);
          if (target.kind !== 'run') throw new UserError(`--run needs a run id; ${target.id} is a thread`);
          runId = target.id;
        }
        const html = buildReport(db, { project, allProjects: flags.allProjects, since: from, runId });
        if (flags.out === '-') return print(html);
        const out = resolve(flags.out);
        try {
          writeFileSync(out, html);
        } catch (err) {
          throw new UserError(`cannot write ${out}: ${(err as Error).message}`);
        }
        print(`wrote ${out}; open it in a browser (it needs no network)`);
      });
    });

  program
    .command('gc')
    .description('delete old runs with everything recorded about them, then compact the database')
    .requiredOption('--older-than <age>', 'delete runs started longer ago than this (90d, 12w) or before a date (2025-01-31)')
    .addOption(new Option('--lessons', 'also delete the lessons those runs wrote (kept by default)'))
    .addOption(new Option('--dry-run', 'only list what would be deleted'))
    .addOption(allProjects())
    .action(async (flags: { olderThan: string; lessons?: boolean; dryRun?: boolean; allProjects?: boolean }, cmd: Command) => {
      const [{ existingDatabase, print }, { runGc }, { parseTimeSpec }, { commandContext }] = await Promise.all([
        import('../review/context.js'),
        import('../review/gc.js'),
        import('../review/time-spec.js'),
        import('../globals.js'),
      ]);
      const before = parseTimeSpec(flags.olderThan, '--older-than');
      const database = existingDatabase(cmd);
      if (!database.exists) return print(`nothing to delete: there is no database at ${database.path} yet`);
      const { db, dbPath, project } = commandContext(cmd);
      try {
        print(
          await runGc(db, dbPath, {
            before,
            project: flags.allProjects ? undefined : project,
            lessons: flags.lessons === true,
            dryRun: flags.dryRun === true,
            ...(await view()),
          }),
        );
      } finally {
        db.close();
      }
    });
}

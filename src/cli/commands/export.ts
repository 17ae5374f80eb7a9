/**
 * `baton export --otlp | --jsonl [--since <when>] [--all-projects]`: stored runs for other tools.
 * --otlp sends them as traces and metrics with their original timestamps (so history from before
 * telemetry was on reaches the backend); --jsonl writes one JSON object per run (the shape of
 * `baton show <run> --json`) to stdout, oldest first. Runs still `running` are left out.
 */
import { Option, type Command } from 'commander';

interface ExportFlags {
  otlp?: boolean;
  jsonl?: boolean;
  since?: string;
  allProjects?: boolean;
}

/** Runs sent between two flushes: bounds the exporter's queue however long the history is. */
const CHUNK = 50;
/** The export is the command's whole job, so it may wait longer than a run's exit does. */
const EXPORT_BOUND_MS = 30_000;

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('send stored runs to an OpenTelemetry collector (--otlp) or write them as JSON lines (--jsonl)')
    .addOption(
      new Option('--otlp', 'send traces and metrics over OTLP/HTTP (OTEL_EXPORTER_OTLP_* variables; default http://localhost:4318)').conflicts('jsonl'),
    )
    .addOption(new Option('--jsonl', 'write one JSON object per run to stdout'))
    .addOption(new Option('--since <when>', 'only runs started since an age (30m, 12h, 7d, 2w) or a date (2025-01-31)'))
    .addOption(new Option('--all-projects', 'include every project in the database, not just this one'))
    .action(async (flags: ExportFlags, cmd: Command) => {
      const [{ withReview, print }, { listRuns }, { parseTimeSpec }, { UserError, ExitCode }] = await Promise.all([
        import('../review/context.js'),
        import('../../store/views/history.js'),
        import('../review/time-spec.js'),
        import('../../core/errors.js'),
      ]);
      if (!flags.otlp && !flags.jsonl) throw new UserError('export needs --otlp or --jsonl');
      const since = flags.since === undefined ? undefined : parseTimeSpec(flags.since, '--since');
      await withReview(cmd, { needRuns: 'project', allProjects: flags.allProjects }, async ({ db, project }) => {
        const ids = listRuns(db, { project: flags.allProjects ? undefined : project, since, notRunning: true })
          .map((r) => r.id)
          .reverse();
        if (flags.jsonl) {
          const { runDetailJson } = await import('../review/show.js');
          for (const id of ids) print(JSON.stringify(runDetailJson(db, id)));
          return;
        }
        if (!ids.length) {
          process.stderr.write('baton: no runs to export in this period\n');
          return;
        }
        const { openTelemetry, telemetryConfig } = await import('../../telemetry/index.js');
        // --otlp asks for it: on even where the variables leave telemetry off.
        const env = { ...process.env, BATON_TELEMETRY: 'otlp', OTEL_SDK_DISABLED: undefined };
        const config = telemetryConfig(env);
        if (config && 'error' in config) throw new UserError(config.error.replace(/; telemetry is off$/, ''));
        const telemetry = openTelemetry({ db, env, notice: () => undefined, exportTimeoutMs: 10_000 });
        if (!telemetry) throw new UserError('telemetry could not start', ExitCode.failed);
        const url = telemetry.config.tracesUrl;
        let sent = 0;
        for (let i = 0; i < ids.length; i += CHUNK) {
          sent += await telemetry.replay(ids.slice(i, i + CHUNK));
          const error = await telemetry.flush();
          if (error) {
            await telemetry.close(0);
            throw new UserError(`could not send runs to ${url}: ${error}`, ExitCode.failed);
          }
        }
        const closed = await telemetry.close(EXPORT_BOUND_MS);
        if (!closed.ok) throw new UserError(`could not send runs to ${url}: ${closed.error}`, ExitCode.failed);
        process.stderr.write(`baton: sent ${sent} run${sent === 1 ? '' : 's'} to ${url}\n`);
      });
    });
}

import type { Command } from 'commander';
import type { UndoResult } from '../../git/undo.js';
import { commandContext } from '../globals.js';

interface UndoOptions {
  force?: boolean;
  json?: boolean;
}

export function registerUndoCommand(program: Command): void {
  program
    .command('undo [run]')
    .description('put back the files a run changed (default: the latest run here); undoing an undo redoes')
    .option('--force', 'also overwrite files changed since the run')
    .option('--json', 'print the result as JSON')
    .action(async (run: string | undefined, opts: UndoOptions, cmd: Command) => {
      const ctx = commandContext(cmd);
      try {
        const { undo } = await import('../../git/undo.js');
        const result = await undo(ctx.db, ctx.project, run, { force: opts.force ?? false });
        process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : formatUndoResult(result));
        // Not fully undone: scripts should notice.
        if (result.skipped.length) process.exitCode = 1;
      } finally {
        ctx.db.close();
      }
    });
}

export function formatUndoResult(r: UndoResult): string {
  const short = (sha: string | null) => sha?.slice(0, 7) ?? '(none)';
  const prompt = r.prompt.length > 60 ? `${r.prompt.slice(0, 59)}…` : r.prompt;
  const lines: string[] = [];
  if (r.endTakenNow) lines.push(`Note: run ${r.runId} never recorded its end; the current files were taken as its result.`);
  const done: [string, string[]][] = [
    ['restored', r.restored],
    ['deleted', r.deleted],
    ['recreated', r.recreated],
  ];
  if (r.undoRunId) {
    lines.push(`Undid ${r.runId} "${prompt}":`);
    for (const [verb, paths] of done) for (const path of paths) lines.push(`  ${verb.padEnd(10)} ${path}`);
  } else {
    lines.push(`Nothing undone for ${r.runId} "${prompt}".`);
  }
  if (r.skipped.length) {
    lines.push('Left alone (changed since the run):', ...r.skipped.map((p) => `  ${p}`));
    lines.push(`Overwrite them with: ${r.forceCommand}`);
  }
  if (r.headMoved) {
    lines.push(`Note: the run moved HEAD (${short(r.headMoved.from)} → ${short(r.headMoved.to)}); undo puts back files only, commits stay.`);
  }
  if (r.undoRunId) lines.push(`Run \`baton undo\` again to bring the changes back (this undo is run ${r.undoRunId}).`);
  return `${lines.join('\n')}\n`;
}

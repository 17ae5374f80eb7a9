import { Argument, type Command } from 'commander';
import type { FeedbackResult } from '../../learning/feedback.js';
import { commandContext } from '../globals.js';

/** `baton feedback <run> good|bad [note...]`: rate a past run; it reweights lessons and feeds the statistics. */
export function registerFeedbackCommand(program: Command): void {
  program
    .command('feedback')
    .description('rate a run good or bad; baton learns from it for later decisions')
    .argument('<run>', 'run id or unique prefix (see baton history)')
    .addArgument(new Argument('<verdict>', 'how the run went').choices(['good', 'bad']))
    .argument('[note...]', 'optional note')
    // Usage errors reach main's reporter (exit 2) instead of commander's process.exit(1).
    .exitOverride()
    .action(async (run: string, verdict: 'good' | 'bad', note: string[], _opts: unknown, cmd: Command) => {
      const { recordFeedback } = await import('../../learning/feedback.js');
      const { db } = commandContext(cmd);
      try {
        process.stdout.write(`${feedbackLine(recordFeedback(db, run, verdict, note.join(' ')))}\n`);
      } finally {
        db.close();
      }
    });
}

function feedbackLine(r: FeedbackResult): string {
  const head = `Recorded ${r.verdict} feedback for ${r.runId}`;
  if (r.previous === r.verdict) return `${head} (already ${r.verdict}; lesson weights unchanged).`;
  const changed = r.lessons.filter((l) => l.after !== l.before).length;
  const was = r.previous ? ` (was ${r.previous})` : '';
  return `${head}${was}; ${changed} lesson${changed === 1 ? '' : 's'} reweighted.`;
}

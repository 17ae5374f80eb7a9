/**
 * The commands by group, and which groups a command line needs: a command's group module (and what
 * it imports) loads only when one of its commands runs, or for help and for a word commander must
 * name in an error.
 */
import type { Command } from 'commander';

type Register = (program: Command) => void;

/** Each group's registration, imported only when the group is registered. */
export const registrations = {
  run: async (): Promise<Register> => (await import('./commands/run.js')).registerRunCommands,
  review: async (): Promise<Register> => (await import('./commands/review.js')).registerReviewCommands,
  feedback: async (): Promise<Register> => (await import('./commands/feedback.js')).registerFeedbackCommand,
  lessons: async (): Promise<Register> => (await import('./commands/lessons.js')).registerLessonsCommand,
  undo: async (): Promise<Register> => (await import('./commands/undo.js')).registerUndoCommand,
  extensions: async (): Promise<Register> => (await import('./commands/extensions.js')).registerExtensionCommands,
  export: async (): Promise<Register> => (await import('./commands/export.js')).registerExportCommand,
};
type Group = keyof typeof registrations;
const ALL = Object.keys(registrations) as Group[];

const GROUP_OF: Record<string, Group> = {
  answer: 'run',
  resume: 'run',
  status: 'run',
  analyze: 'run',
  history: 'review',
  show: 'review',
  stats: 'review',
  search: 'review',
  report: 'review',
  gc: 'review',
  feedback: 'feedback',
  lessons: 'lessons',
  undo: 'undo',
  agents: 'extensions',
  playbooks: 'extensions',
  mcp: 'extensions',
  export: 'export',
};
/** Options before a subcommand whose value is the next word (so that word is not a command). */
const TAKES_VALUE = new Set(['--db', '--model', '--orchestrator-model', '--permission-mode', '--max-budget-usd', '--output-format']);
/** Options whose value is optional: the next word is theirs when it is not an option (as commander reads it). */
const MAY_TAKE_VALUE = new Set(['-p', '--print', '-r', '--resume']);

/**
 * The command groups a command line needs: its subcommand's group; the run commands when there is
 * none (a prompt with -p, the session); all of them for help, or for a word commander must name
 * in its error (an unknown command, with its "did you mean").
 */
export function commandGroups(args: readonly string[]): Group[] {
  if (args.some((a) => a === '-h' || a === '--help' || a === 'help')) return ALL;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (TAKES_VALUE.has(arg) || (MAY_TAKE_VALUE.has(arg) && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-'))) i++;
      continue;
    }
    const group = GROUP_OF[arg];
    return group ? [group] : ALL;
  }
  return ['run'];
}

import type { Command } from 'commander';
import { commandContext } from '../globals.js';

/** `baton lessons [--json]`, `baton lessons pin|unpin|edit|delete <id>`: what was learned in this project, and curating it. */
export function registerLessonsCommand(program: Command): void {
  const lessons = program
    .command('lessons')
    .description("list this project's lessons with weight, uses and source runs; pin, edit or delete one")
    .option('--json', 'print JSON')
    .exitOverride()
    .action(async (flags: { json?: boolean }, cmd: Command) => {
      const { listLessons, formatLessons } = await import('../../learning/curation.js');
      const { db, project } = commandContext(cmd);
      try {
        const list = listLessons(db, project);
        process.stdout.write(flags.json ? `${JSON.stringify(list, null, 2)}\n` : `${formatLessons(list)}\n`);
      } finally {
        db.close();
      }
    });
  const sub = (
    name: string,
    description: string,
    act: (m: typeof import('../../learning/curation.js'), ctx: ReturnType<typeof commandContext>, id: string, rest: string[]) => string,
  ) =>
    lessons
      .command(name)
      .description(description)
      .argument('<id>', 'lesson id (see baton lessons)')
      .exitOverride()
      .action(async (id: string, ...args: unknown[]) => {
        const cmd = args.at(-1) as Command;
        const rest = (Array.isArray(args[0]) ? args[0] : []) as string[];
        const m = await import('../../learning/curation.js');
        const ctx = commandContext(cmd);
        try {
          process.stdout.write(`${act(m, ctx, id, rest)}\n`);
        } finally {
          ctx.db.close();
        }
      });
  sub('pin', 'always show this lesson to decisions', (m, c, id) => `Pinned lesson #${m.pinLesson(c.db, c.project, id).id}.`);
  sub('unpin', 'show it only when it is relevant or fits', (m, c, id) => `Unpinned lesson #${m.pinLesson(c.db, c.project, id, false).id}.`);
  sub('delete', 'forget this lesson', (m, c, id) => `Deleted lesson #${m.removeLesson(c.db, c.project, id).id}.`);
  sub('edit', 'reword this lesson', (m, c, id, text) => {
    const l = m.editLesson(c.db, c.project, id, text.join(' '));
    return `Lesson #${l.id} now reads: ${l.text}`;
  }).argument('<text...>', 'the new text');
}

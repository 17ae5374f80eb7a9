/**
 * End to end: a run edits one file, creates another and changes a third with a command; `baton
 * show <run> --diff` prints the recorded diffs in order (plain when piped) and names the file a
 * command changed without a diff of its own.
 */
import { describe, expect, it } from 'vitest';
import { useE2e } from '../support/e2e.js';
import { routeBy, textReply, toolReply } from '../support/fake-api.js';
import { analysis, decision, isAnalysis, isDecision, isRole } from '../support/routes.js';

const e2e = useE2e({ files: { 'src/greet.js': 'export const greet = () => "hello";\n', 'notes.txt': 'draft\n' } });

describe('baton show --diff', () => {
  it("prints a run's file changes as unified diffs", async () => {
    e2e.fake.setScript(
      routeBy({
        decision: { when: isDecision, replies: () => decision('direct', [{ role: 'coder', instructions: 'Make the changes' }]) },
        coder: {
          when: isRole('coder'),
          replies: [
            toolReply('edit_file', { path: 'src/greet.js', old_string: '"hello"', new_string: '"hi"' }),
            toolReply('write_file', { path: 'src/bye.js', content: 'export const bye = () => "bye";\n' }),
            toolReply('bash', { command: "sed -i 's/draft/final/' notes.txt" }),
            textReply('Changed three files.'),
          ],
        },
        analysis: { when: isAnalysis, replies: () => analysis('success') },
      }),
    );
    const r = await e2e.baton(['-p', 'greet with hi, add bye, finalise the notes', '--permission-mode', 'bypass']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const db = e2e.openDb();
    let runId: string;
    try {
      runId = (db.prepare('SELECT id FROM runs').get() as { id: string }).id;
      // The diff is stored with the call that made it; other calls have none.
      const calls = db.prepare('SELECT name, diff IS NOT NULL AS hasDiff FROM tool_calls ORDER BY started_at, rowid').all();
      expect(calls).toEqual([
        { name: 'edit_file', hasDiff: 1 },
        { name: 'write_file', hasDiff: 1 },
        { name: 'bash', hasDiff: 0 },
      ]);
    } finally {
      db.close();
    }

    const show = await e2e.baton(['show', runId, '--diff']);
    expect(show.stderr).toBe('');
    expect(show.code).toBe(0);
    const out = show.stdout;
    expect(out).not.toContain('\x1b['); // piped: plain text
    const lines = out.split('\n');
    const at = (line: string) => {
      const i = lines.indexOf(line);
      expect(i, `"${line}" in:\n${out}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    // In the order they ran: the edit, then the new file.
    const edit = at('● edit_file src/greet.js · direct · coder');
    expect(at('-export const greet = () => "hello";')).toBeGreaterThan(edit);
    expect(at('+export const greet = () => "hi";')).toBeGreaterThan(edit);
    const created = at('● write_file src/bye.js · direct · coder');
    expect(created).toBeGreaterThan(edit);
    expect(at('--- /dev/null')).toBeGreaterThan(created);
    expect(at('+export const bye = () => "bye";')).toBeGreaterThan(created);
    // The command's change has no diff of its own; the run's checkpoint names the file.
    expect(out).toContain('also changed, without a recorded diff');
    expect(at('  notes.txt (modified)')).toBeGreaterThan(created);

    // The latest run is the default; a thread id is refused with one line.
    const latest = await e2e.baton(['show', '--diff']);
    expect(latest.stdout).toBe(out);
    const threadId = (() => {
      const d = e2e.openDb();
      try {
        return (d.prepare('SELECT thread_id FROM runs').get() as { thread_id: string }).thread_id;
      } finally {
        d.close();
      }
    })();
    const thread = await e2e.baton(['show', threadId, '--diff']);
    expect(thread.code).not.toBe(0);
    expect(thread.stderr.trim()).toBe('baton: --diff shows one run; give a run id');
  });
});

/** Fake-API scripts more than one test runs. */
import { routeBy, textReply, toolReply, type FakeRoute, type FakeScript } from './fake-api.js';
import { analysis, decision, isAnalysis, isDecision, isRole } from './routes.js';

/** The routes given, plus a successful post-run analysis. */
export const withAnalysis = (routes: Record<string, FakeRoute>): FakeScript => routeBy({ ...routes, analysis: { when: isAnalysis, replies: [analysis()] } });

/**
 * plan-execute on the temp repository's src/math.js: the planner reads it and plans two steps,
 * step 1 fixes add (`a - b` → `a + b`), step 2 writes notes.md.
 */
export function planExecuteFixScript(): FakeScript {
  return withAnalysis({
    decision: {
      when: isDecision,
      replies: [
        decision('plan-execute', [
          { role: 'planner', instructions: 'plan the fix' },
          { role: 'coder', instructions: 'carry out steps' },
        ]),
      ],
    },
    planner: {
      when: isRole('planner'),
      replies: [
        toolReply('read_file', { path: 'src/math.js' }),
        textReply(
          '```json\n{"steps":[{"title":"fix add","instructions":"make add return a + b in src/math.js"},{"title":"note it","instructions":"append a line to notes.md"}]}\n```',
        ),
      ],
    },
    step1: {
      when: (r) => isRole('coder')(r) && r.messages[0] !== undefined && JSON.stringify(r.messages[0]).includes('(1/2)'),
      replies: [toolReply('edit_file', { path: 'src/math.js', old_string: 'a - b', new_string: 'a + b' }), textReply('fixed add')],
    },
    step2: {
      when: (r) => isRole('coder')(r) && JSON.stringify(r.messages[0]).includes('(2/2)'),
      replies: [toolReply('write_file', { path: 'notes.md', content: '# notes\nadd fixed\n' }), textReply('noted')],
    },
  });
}

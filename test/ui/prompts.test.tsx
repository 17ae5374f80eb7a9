import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import type { PermissionAnswer } from '../../src/core/events.js';
import { PermissionPrompt } from '../../src/cli/ui/PermissionPrompt.js';
import { QuestionPrompt } from '../../src/cli/ui/QuestionPrompt.js';
import { keys, listening, waitFor } from './support.js';

afterEach(cleanup);

const req = { runId: 'r1', toolCallId: 'tu1', tool: 'bash', title: 'bash: npm test', rule: 'bash:npm test' };

async function answerPermission(...typed: string[]): Promise<PermissionAnswer[]> {
  const answers: PermissionAnswer[] = [];
  const ui = render(<PermissionPrompt req={req} onAnswer={(a) => answers.push(a)} />);
  await listening(ui.stdin);
  for (const t of typed) ui.stdin.write(t);
  await waitFor(() => expect(answers.length).toBeGreaterThan(0));
  return answers;
}

describe('PermissionPrompt', () => {
  it('shows the request and the three choices, naming the rule "always" stores', () => {
    const ui = render(<PermissionPrompt req={req} onAnswer={() => {}} />);
    const frame = ui.lastFrame()!;
    expect(frame).toContain('Allow bash?');
    expect(frame).toContain('bash: npm test');
    expect(frame).toContain('Yes, once');
    expect(frame).toContain('Yes, always for this project (bash:npm test)');
    expect(frame).toContain('No (tell the model)');
  });

  it("shows the call's preview, cut to 20 lines", () => {
    const diff = ['--- a/a.ts', '+++ b/a.ts', '@@ -1,30 +1,30 @@', ...Array.from({ length: 30 }, (_, i) => `-line ${i}`)].join('\n');
    const edit = { runId: 'r1', toolCallId: 'tu2', tool: 'edit_file', title: 'edit a.ts', preview: diff, rule: 'edit_file' };
    const frame = render(<PermissionPrompt req={edit} onAnswer={() => {}} />).lastFrame()!;
    expect(frame).toContain('edit a.ts');
    expect(frame).toContain('+++ b/a.ts');
    expect(frame).toContain('-line 16');
    expect(frame).not.toContain('-line 17');
    expect(frame).toContain('… 13 more lines');
  });

  it('answers with y, a and n', async () => {
    expect(await answerPermission('y')).toEqual(['once']);
    expect(await answerPermission('a')).toEqual(['always']);
    expect(await answerPermission('n')).toEqual(['deny']);
  });

  it('answers with the arrows and Enter', async () => {
    expect(await answerPermission(keys.down, keys.down, keys.enter)).toEqual(['deny']);
    expect(await answerPermission(keys.up, keys.up, keys.enter)).toEqual(['always']);
  });
});

describe('QuestionPrompt', () => {
  const question = { runId: 'r1', questionId: 'q1', question: 'Which test runner?', options: ['vitest', 'jest'] as string[] | undefined };

  async function ask(req = question) {
    const answers: string[] = [];
    const ui = render(<QuestionPrompt req={req} onAnswer={(a) => answers.push(a)} />);
    await listening(ui.stdin);
    return { ui, answers, type: (...keys: string[]) => keys.forEach((k) => ui.stdin.write(k)) };
  }

  it('lists the options plus Other and answers the one chosen with the arrows', async () => {
    const { ui, answers, type } = await ask();
    expect(ui.lastFrame()).toContain('? Which test runner?');
    expect(ui.lastFrame()).toContain('3. Other (type an answer)');
    type(keys.down, keys.enter);
    await waitFor(() => expect(answers).toEqual(['jest']));
  });

  it('answers an option by its number', async () => {
    const { answers, type } = await ask();
    type('1');
    await waitFor(() => expect(answers).toEqual(['vitest']));
  });

  it('takes free text through Other', async () => {
    const { ui, answers, type } = await ask();
    type('3');
    await waitFor(() => expect(ui.lastFrame()).toContain('→'));
    type('node:test', keys.enter);
    await waitFor(() => expect(answers).toEqual(['node:test']));
  });

  it('asks for free text directly when there are no options', async () => {
    const { ui, answers, type } = await ask({ ...question, options: undefined });
    expect(ui.lastFrame()).not.toContain('Other');
    type('mocha', keys.enter);
    await waitFor(() => expect(answers).toEqual(['mocha']));
  });
});

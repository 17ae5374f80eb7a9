/**
 * The whole session screen (App) with the real controller and engine against the fake Messages
 * API, driven by keys as a user would.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { render as inkRender } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadMarkdown } from '../../src/cli/render/load.js';
import { createController } from '../../src/cli/interactive.js';
import { App } from '../../src/cli/ui/App.js';
import type { SessionController } from '../../src/cli/ui/controller.js';
import { color } from '../../src/cli/ui/theme.js';
import { DEFAULT_MODEL, DEFAULT_ORCHESTRATOR_MODEL } from '../../src/core/models.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { routeBy, startFakeApi, textReply, toolReply, type FakeApi } from '../support/fake-api.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { analysis, decision, isAnalysis, isDecision, isRole } from '../support/routes.js';
import { keys, listening, waitFor } from './support.js';

let fake: FakeApi;
let repo: TempRepo;
let db: Db;
let controller: SessionController;

// The first run loads the markdown renderer; under vitest that import alone can outlast a waitFor.
beforeAll(() => loadMarkdown(), 30_000);

beforeEach(async () => {
  fake = await startFakeApi();
  repo = makeTempRepo({ 'src/greet.js': 'export const greet = () => "hello";\n' });
  vi.stubEnv('ANTHROPIC_API_KEY', 'test-key');
  vi.stubEnv('ANTHROPIC_BASE_URL', fake.url);
  vi.stubEnv('BATON_HOME', repo.home);
  db = openDatabase(join(repo.home, 'baton.db'));
  fake.setScript(
    routeBy({
      decision: { when: isDecision, replies: () => decision('direct', [{ role: 'coder', instructions: 'Do it' }]) },
      coder: {
        when: isRole('coder'),
        replies: [
          toolReply('bash', { command: 'echo checked' }),
          textReply(`${'A long line of the answer that certainly does not fit into eighty columns of terminal. '.repeat(3)}\n\nDone.`),
        ],
      },
      analysis: { when: isAnalysis, replies: () => analysis('success') },
    }),
  );
  controller = createController({
    db,
    project: repo.root,
    options: { model: DEFAULT_MODEL, orchestratorModel: DEFAULT_ORCHESTRATOR_MODEL, permissionMode: 'ask' },
  });
  await controller.start(undefined);
});

afterEach(async () => {
  cleanup();
  controller.exit();
  await controller.exited;
  db.close();
  await fake.close();
  repo.cleanup();
  vi.unstubAllEnvs();
});

describe('App', () => {
  it('runs a prompt typed at the prompt: permission by key, tool line, answer, status line', async () => {
    const ui = render(<App controller={controller} />);
    await listening(ui.stdin);
    ui.stdin.write('check the greeting');
    ui.stdin.write(keys.enter);
    // The first run of the process loads the SDK and opens the connection: seconds on a loaded machine.
    await waitFor(() => expect(ui.lastFrame()).toContain('Allow bash?'), 20_000);
    ui.stdin.write('a');
    await waitFor(() => expect(ui.lastFrame()).toContain('Done.'));
    await waitFor(() => expect(ui.lastFrame()).toContain('✓ done'));
    const frame = ui.lastFrame()!;
    expect(frame).toContain('> check the greeting');
    expect(frame).toContain('◆ direct');
    expect(frame).toContain('✓ bash echo checked · exit 0');
    expect(frame).toMatch(/claude-sonnet-5-5 · ask \(shift-tab\) · [\d.]+k tokens · \$\d\.\d{4} · cache \d+%/);
  });

  it('cycles the permission mode with Shift-Tab', async () => {
    const ui = render(<App controller={controller} />);
    await listening(ui.stdin);
    ui.stdin.write(keys.shiftTab);
    await waitFor(() => expect(ui.lastFrame()).toContain('accept-edits (shift-tab)'));
    ui.stdin.write(keys.shiftTab);
    await waitFor(() => expect(ui.lastFrame()).toContain('bypass (shift-tab)'));
    expect(controller.state().mode).toBe('bypass');
  });

  it('Ctrl-C clears typed text first, then warns, then exits', async () => {
    const ui = render(<App controller={controller} />);
    await listening(ui.stdin);
    ui.stdin.write('half a thought');
    await waitFor(() => expect(ui.lastFrame()).toContain('half a thought'));
    ui.stdin.write(keys.ctrlC);
    await waitFor(() => expect(ui.lastFrame()).not.toContain('half a thought'));
    ui.stdin.write(keys.ctrlC);
    await waitFor(() => expect(ui.lastFrame()).toContain('press Ctrl-C again to exit'));
    ui.stdin.write(keys.ctrlC);
    await expect(controller.exited).resolves.toBe(0);
  });

  it('fits 80 columns: no line of the screen is wider', async () => {
    const stdout = Object.assign(new EventEmitter(), { columns: 80, rows: 40, frames: [] as string[], write: (f: string) => void stdout.frames.push(f) });
    const stdin = Object.assign(new EventEmitter(), {
      isTTY: true,
      setRawMode() {},
      setEncoding() {},
      ref() {},
      unref() {},
      resume() {},
      pause() {},
      read: () => null,
    });
    const ink = inkRender(<App controller={controller} />, {
      stdout: stdout as never,
      stdin: stdin as never,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    try {
      controller.cycleMode(); // accept-edits would still ask for bash: use bypass
      controller.cycleMode();
      await controller.submit('check the greeting');
      await waitFor(() => expect(stdout.frames.at(-1)).toContain('✓ done'));
      const lines = stdout.frames.at(-1)!.split('\n');
      expect(lines.some((l) => l.startsWith('A long line'))).toBe(true);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    } finally {
      ink.unmount();
    }
  });
});

describe('theme', () => {
  it('drops every colour under NO_COLOR', () => {
    vi.stubEnv('NO_COLOR', '1');
    expect(color('error')).toBeUndefined();
    vi.stubEnv('NO_COLOR', '');
    expect(color('error')).toBe('red');
  });
});

/**
 * Telemetry from the interactive session: the built `baton` in a real pseudo-terminal (tmux),
 * against the fake Messages API and a real OTLP/HTTP receiver. Skipped without tmux.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATON_BIN } from '../support/cli.js';
import { routeBy, startFakeApi, textReply, toolReply, type FakeApi } from '../support/fake-api.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { analysis, decision, isAnalysis, isDecision, isRole } from '../support/routes.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `baton-otel-${process.pid}`;
const pane = 'baton';
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', pane);
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function see(text: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!screen().includes(text)) {
    if (Date.now() > until) throw new Error(`"${text}" did not appear; the screen shows:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function prompt(text: string): Promise<void> {
  tmux('send-keys', '-t', pane, '-l', text);
  await see(text);
  tmux('send-keys', '-t', pane, 'Enter');
}

describe.skipIf(!hasTmux)('telemetry from the interactive session', () => {
  let fake: FakeApi;
  let repo: TempRepo;
  let otlp: OtlpReceiver;

  beforeAll(async () => {
    if (!existsSync(BATON_BIN)) throw new Error(`${BATON_BIN} is missing: run npm run build first`);
    fake = await startFakeApi();
    otlp = await startOtlpReceiver();
    repo = makeTempRepo({ 'src/greet.js': 'export const greet = () => "hello";\n' });
    fake.setScript(
      routeBy({
        decision: { when: isDecision, replies: () => decision('direct', [{ role: 'explorer', instructions: 'answer' }]) },
        explorer: { when: isRole('explorer'), replies: [toolReply('read_file', { path: 'src/greet.js' }), textReply('greet returns "hello".')] },
        analysis: { when: isAnalysis, replies: () => analysis('success') },
      }),
    );
    const env = {
      BATON_HOME: repo.home,
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: fake.url,
      NO_COLOR: '1',
      TERM: 'xterm-256color',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    };
    const command = `env ${Object.entries(env)
      .map(([k, v]) => `${k}=${shq(v)}`)
      .join(' ')} ${shq(process.execPath)} ${shq(BATON_BIN)}; echo "[baton exited $?]"; sleep 600`;
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', pane, '-x', '100', '-y', '40', '-c', repo.root, command);
  });

  afterAll(async () => {
    if (!hasTmux) return;
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    await fake?.close();
    await otlp?.close();
    repo?.cleanup();
  });

  it("a session's run arrives as a trace, with metrics, by the time the session has exited", async () => {
    await see('ask for a change, or /help');
    await prompt('what does greet return?');
    await see('greet returns "hello".');
    await see('✓ done');
    await prompt('/exit');
    await see('[baton exited 0]');
    expect(screen()).not.toContain('telemetry');

    const names = otlp.spans.map((s) => s.name);
    expect(names.filter((n) => n === 'baton.run')).toHaveLength(1);
    expect(names).toEqual(expect.arrayContaining(['baton.decision', 'invoke_agent explorer', 'execute_tool read_file']));
    expect(names.filter((n) => n.startsWith('chat '))).toHaveLength(2);
    const run = otlp.spans.find((s) => s.name === 'baton.run')!;
    expect(run.attributes).toMatchObject({ 'baton.run.status': 'completed', 'baton.pattern': 'direct' });
    expect(run.attributes['baton.prompt']).toBeUndefined();
    expect(otlp.points.filter((p) => p.metric === 'baton_runs')).toEqual([
      expect.objectContaining({ attributes: { pattern: 'direct', status: 'completed' }, value: 1 }),
    ]);
  });
});

/**
 * Telemetry end to end: the built `baton -p` and `baton export` against the fake Messages API and a
 * real OTLP/HTTP receiver that decodes what the OpenTelemetry exporters send.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { BATON_BIN, runBaton } from '../support/cli.js';
import { startFakeApi, textReply, toolReply, type FakeApi } from '../support/fake-api.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { planExecuteFixScript, withAnalysis } from '../support/scenarios.js';
import { decision, isDecision, isRole } from '../support/routes.js';

let fake: FakeApi;
let repo: TempRepo;
let otlp: OtlpReceiver;

const SECRET_PROMPT = 'fix add and note it PROMPT-MARKER';
const FILE_MARKER = 'FILE-CONTENT-MARKER';

beforeEach(async () => {
  fake = await startFakeApi();
  otlp = await startOtlpReceiver();
  repo = makeTempRepo({ 'src/math.js': `export const add = (a, b) => a - b; // ${FILE_MARKER}\n`, 'notes.md': '# notes\n' });
});
afterEach(async () => {
  await fake.close();
  await otlp.close();
  repo.cleanup();
});

const baseEnv = () => ({ ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, BATON_ANALYSIS: 'off', BATON_RETRY_BASE_MS: '5' });
const otlpEnv = (protocol = 'http/json', url = otlp.url) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol });
const baton = (args: string[], extra: Record<string, string | undefined> = {}) =>
  runBaton(args, { cwd: repo.root, home: repo.home, env: { ...baseEnv(), ...extra } });
function query<T>(sql: string): T[] {
  const db = new Database(join(repo.home, 'baton.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
/** Runs baton and measures the time from its answer on stdout to its exit. */
function timedBaton(args: string[], extra: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; afterAnswerMs: number }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('ANTHROPIC_') && !k.startsWith('BATON_') && !k.startsWith('OTEL_')) env[k] = v;
  Object.assign(env, { BATON_HOME: repo.home, NO_COLOR: '1' }, baseEnv(), extra);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BATON_BIN, ...args], { cwd: repo.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let answeredAt = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      answeredAt ||= Date.now();
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, afterAnswerMs: Date.now() - answeredAt }));
  });
}
function directScript() {
  return withAnalysis({
    decision: { when: isDecision, replies: [decision('direct', [{ role: 'explorer', instructions: 'read math and answer' }])] },
    explorer: { when: isRole('explorer'), replies: [toolReply('read_file', { path: 'src/math.js' }), textReply('add subtracts.')] },
  });
}

const byId = (spans: ReceivedSpan[]) => new Map(spans.map((s) => [s.spanId, s]));
const parentOf = (spans: ReceivedSpan[], s: ReceivedSpan) => byId(spans).get(s.parentSpanId);
const named = (spans: ReceivedSpan[], prefix: string) => spans.filter((s) => s.name.startsWith(prefix));
/** Span names and counts, e.g. { 'baton.run': 1, 'chat claude-…': 6 }. */
const census = (spans: ReceivedSpan[]) =>
  Object.fromEntries([...new Set(spans.map((s) => s.name))].sort().map((n) => [n, spans.filter((s) => s.name === n).length]));
const traceIdOf = (runId: string) => createHash('sha256').update(`baton-run:${runId}`).digest('hex').slice(0, 32);
const pointsOf = (name: string) => otlp.points.filter((p) => p.metric === name);

describe('telemetry', () => {
  it('-p plan-execute: one trace run → decision → agents → model requests and tools; GenAI attributes; no content; metrics', async () => {
    fake.setScript(planExecuteFixScript());
    const started = Date.now();
    const r = await baton(['-p', SECRET_PROMPT, '--permission-mode', 'bypass', '--wait-analysis'], { ...otlpEnv(), BATON_ANALYSIS: undefined });
    const elapsed = Date.now() - started;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    const spans = otlp.spans;
    console.log(`plan-execute trace (${elapsed} ms with a live receiver):`, JSON.stringify(census(spans)));
    const [runRow] = query<{ id: string }>('SELECT id FROM runs');
    const runs = named(spans, 'baton.run');
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.parentSpanId).toBe('');
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceIdOf(runRow!.id)]));
    expect(run.attributes).toMatchObject({ 'baton.run.id': runRow!.id, 'baton.run.status': 'completed', 'baton.pattern': 'plan-execute' });
    expect(run.attributes['baton.cost_usd']).toBeGreaterThan(0);
    expect(run.resource['service.name']).toBe('baton');

    const [dec] = named(spans, 'baton.decision');
    expect(parentOf(spans, dec!)).toBe(run);
    expect(dec!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'baton.decision.kind': 'initial',
      'baton.pattern': 'plan-execute',
      'baton.decision.confidence': 0.8,
    });
    expect(typeof dec!.attributes['gen_ai.request.model']).toBe('string');
    expect(dec!.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(dec!.events.find((e) => e.name === 'baton.decision.reasoning')?.attributes['baton.decision.reasoning']).toBe('chose plan-execute for this test');

    const agents = named(spans, 'invoke_agent');
    expect(agents.map((a) => a.name)).toEqual(['invoke_agent planner', 'invoke_agent coder', 'invoke_agent coder']);
    for (const a of agents) {
      expect(parentOf(spans, a)).toBe(dec);
      expect(a.attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_agent', 'baton.agent.status': 'completed' });
    }
    const chats = named(spans, 'chat ');
    expect(chats).toHaveLength(6); // 2 turns per agent
    for (const c of chats) {
      expect(agents).toContain(parentOf(spans, c));
      expect(c.attributes['gen_ai.operation.name']).toBe('chat');
      expect(c.attributes['gen_ai.provider.name']).toBe('anthropic');
      expect(c.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
      expect(c.endMs).toBeGreaterThanOrEqual(c.startMs);
    }
    const tools = named(spans, 'execute_tool');
    expect(tools.map((t) => t.name).sort()).toEqual(['execute_tool edit_file', 'execute_tool read_file', 'execute_tool write_file']);
    for (const t of tools) {
      expect(agents).toContain(parentOf(spans, t));
      expect(t.attributes).toMatchObject({ 'gen_ai.operation.name': 'execute_tool', 'baton.tool.is_error': false });
      expect(t.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
      expect(t.attributes['gen_ai.tool.call.result']).toBeUndefined();
    }
    const [analysisSpan] = named(spans, 'baton.analysis');
    expect(parentOf(spans, analysisSpan!)).toBe(run);
    expect(analysisSpan!.attributes['baton.outcome']).toBe('success');

    // Content is absent by default; the API key never leaves.
    const raw = otlp.requests.map((q) => q.body.toString('utf8')).join('\n');
    for (const secret of ['PROMPT-MARKER', FILE_MARKER, 'test-key', 'add fixed']) expect(raw).not.toContain(secret);
    expect(run.attributes['baton.prompt']).toBeUndefined();

    // Metrics: same names as `baton stats --format prometheus`, plus tools, tokens, decision latency.
    expect(pointsOf('baton_runs')).toEqual([expect.objectContaining({ attributes: { pattern: 'plan-execute', status: 'completed' }, value: 1 })]);
    expect(pointsOf('baton_run_outcomes')).toEqual([expect.objectContaining({ attributes: { pattern: 'plan-execute', outcome: 'success' }, value: 1 })]);
    expect(pointsOf('baton_agent_calls').reduce((n, p) => n + (p.value ?? 0), 0)).toBe(3);
    expect(
      pointsOf('baton_tool_calls')
        .map((p) => [p.attributes.name, p.attributes.result, p.value])
        .sort(),
    ).toEqual([
      ['edit_file', 'ok', 1],
      ['read_file', 'ok', 1],
      ['write_file', 'ok', 1],
    ]);
    expect(new Set(pointsOf('baton_tokens').map((p) => p.attributes.role))).toEqual(new Set(['orchestrator', 'planner', 'coder', 'analysis']));
    expect(pointsOf('baton_cost_usd').some((p) => p.attributes.part === 'workers' && (p.value ?? 0) > 0)).toBe(true);
    expect(pointsOf('baton_decision_duration_seconds')).toEqual([
      expect.objectContaining({ kind: 'histogram', count: 1, attributes: { kind: 'initial', pattern: 'plan-execute' } }),
    ]);
    expect(pointsOf('baton_run_duration_seconds')[0]?.count).toBe(1);
  });

  it('http/protobuf is decoded; BATON_TELEMETRY_CONTENT=1 adds the prompt, tool arguments and results', async () => {
    fake.setScript(directScript());
    const r = await baton(['-p', SECRET_PROMPT], { ...otlpEnv('http/protobuf'), BATON_TELEMETRY_CONTENT: '1', OTEL_SERVICE_NAME: 'baton-ci' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(otlp.requests.every((q) => q.contentType === 'application/x-protobuf')).toBe(true);
    const spans = otlp.spans;
    const [run] = named(spans, 'baton.run');
    expect(run!.resource['service.name']).toBe('baton-ci');
    expect(run!.attributes['baton.prompt']).toBe(SECRET_PROMPT);
    expect(run!.attributes['baton.result']).toBe('add subtracts.');
    const [tool] = named(spans, 'execute_tool read_file');
    expect(JSON.parse(String(tool!.attributes['gen_ai.tool.call.arguments']))).toEqual({ path: 'src/math.js' });
    expect(String(tool!.attributes['gen_ai.tool.call.result'])).toContain(FILE_MARKER);
    expect(named(spans, 'chat ')).toHaveLength(2);
    expect(pointsOf('baton_runs')).toEqual([expect.objectContaining({ attributes: { pattern: 'direct', status: 'completed' }, value: 1 })]);
    expect(otlp.requests.map((q) => q.body.toString('latin1')).join('')).not.toContain('test-key');
  });

  it('a dead or hanging collector changes nothing for the user but one notice; the exit waits at most the flush bound', async () => {
    fake.setScript(directScript());
    const plain = await timedBaton(['-p', 'what does add do', '--output-format', 'json'], {});
    expect(plain.code).toBe(0);

    fake.setScript(directScript());
    const live = await timedBaton(['-p', 'what does add do', '--output-format', 'json'], otlpEnv('http/protobuf'));
    expect(live.stderr).toBe('');
    expect(named(otlp.spans, 'baton.run')).toHaveLength(1);

    const dead = await startOtlpReceiver();
    await dead.close(); // nothing listens on its port now
    fake.setScript(directScript());
    const r = await timedBaton(['-p', 'what does add do', '--output-format', 'json'], otlpEnv('http/protobuf', dead.url));
    expect(r.code).toBe(0);
    const parse = (s: string) => JSON.parse(s) as Record<string, unknown>;
    expect(Object.keys(parse(r.stdout))).toEqual(Object.keys(parse(plain.stdout)));
    expect(parse(r.stdout)).toMatchObject({ status: 'completed', result: 'add subtracts.' });
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^baton: telemetry: could not send to http:\/\/127\.0\.0\.1:\d+\/v1\/traces: .*ECONNREFUSED/),
    ]);

    otlp.hang();
    fake.setScript(directScript());
    const hung = await timedBaton(['-p', 'what does add do', '--output-format', 'json'], otlpEnv('http/json'));
    expect(hung.code).toBe(0);
    expect(parse(hung.stdout)).toMatchObject({ status: 'completed' });
    expect(hung.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^baton: telemetry: could not send to .*; nothing else is affected$/)]);
    // From the answer on stdout to the exit: the 2 s bound plus the process's own exit (slack for a loaded machine).
    expect(hung.afterAnswerMs).toBeLessThan(2000 + 1500);
    console.log(
      `answer → exit: no telemetry ${plain.afterAnswerMs} ms; live receiver ${live.afterAnswerMs} ms; dead endpoint ${r.afterAnswerMs} ms; hanging collector ${hung.afterAnswerMs} ms`,
    );
  });

  it('baton export --otlp sends stored runs with their original timestamps; --jsonl writes one object per run', async () => {
    fake.setScript(planExecuteFixScript());
    expect((await baton(['-p', 'fix add', '--permission-mode', 'bypass', '--wait-analysis'], { BATON_ANALYSIS: undefined })).code).toBe(0);
    fake.setScript(directScript());
    expect((await baton(['-p', 'what does add do'])).code).toBe(0);
    expect(otlp.requests).toHaveLength(0); // telemetry was off

    const rows = query<{ id: string; started_at: number; finished_at: number; pattern: string }>(
      'SELECT id, started_at, finished_at, pattern FROM runs ORDER BY started_at',
    );
    const r = await baton(['export', '--otlp', '--since', '7d'], { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`baton: sent 2 runs to ${otlp.url}/v1/traces\n`);
    const spans = otlp.spans;
    const runs = named(spans, 'baton.run');
    expect(runs.map((s) => s.attributes['baton.run.id']).sort()).toEqual(rows.map((x) => x.id).sort());
    for (const row of rows) {
      const span = runs.find((s) => s.attributes['baton.run.id'] === row.id)!;
      expect(span.traceId).toBe(traceIdOf(row.id));
      expect(span.startMs).toBe(row.started_at);
      expect(span.endMs).toBe(row.finished_at);
      expect(span.attributes['baton.pattern']).toBe(row.pattern);
    }
    const planRun = runs.find((s) => s.attributes['baton.pattern'] === 'plan-execute')!;
    const inPlan = spans.filter((s) => s.traceId === planRun.traceId);
    expect(census(inPlan)).toMatchObject({ 'baton.run': 1, 'baton.decision': 1, 'invoke_agent planner': 1, 'invoke_agent coder': 2, 'baton.analysis': 1 });
    expect(named(inPlan, 'execute_tool')).toHaveLength(3);
    for (const a of named(inPlan, 'invoke_agent')) expect(parentOf(spans, a)?.name).toBe('baton.decision');
    expect(planRun.attributes['baton.outcome']).toBe('success');
    expect(JSON.stringify(spans)).not.toContain(FILE_MARKER);
    expect(pointsOf('baton_runs').reduce((n, p) => n + (p.value ?? 0), 0)).toBe(2);

    const jsonl = await baton(['export', '--jsonl']);
    expect(jsonl.code, jsonl.stderr).toBe(0);
    const lines = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { run: { id: string }; decisions: unknown[] });
    expect(lines.map((l) => l.run.id)).toEqual(rows.map((x) => x.id)); // oldest first
    expect(lines[0]!.decisions).toHaveLength(1);

    const dead = await startOtlpReceiver();
    await dead.close();
    const failed = await baton(['export', '--otlp'], { OTEL_EXPORTER_OTLP_ENDPOINT: dead.url });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^baton: could not send runs to http:\/\/127\.0\.0\.1:\d+\/v1\/traces: .+\n$/);
    expect((await baton(['export'])).code).toBe(2);
  });
});

/**
 * A small builder that writes realistic rows (through the store's own functions) into a real SQLite
 * file, and `seedStandard`, the known history most review tests assert against.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunStatus } from '../../src/core/events.js';
import type { Decision } from '../../src/patterns/decision.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import type { PlanStepStatus } from '../../src/store/plan-steps.js';
import { runBaton, type CliResult } from '../support/cli.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import {
  corruptStoredJson,
  SEED_OPTIONS,
  seedAgentCall,
  seedAnalysis,
  seedDecision,
  seedFeedback,
  seedLesson,
  seedPlanSteps,
  seedQuestion,
  seedRun,
  seedThread,
  seedToolCall,
  type Tokens,
} from '../support/seed.js';

type AgentStatus = 'ready' | 'executing' | 'completed' | 'failed' | 'cancelled';

const MIN = 60_000;
const DAY = 86_400_000;

/**
 * Builds history through test/support/seed.ts (the store's and the lifecycle's own functions), with
 * the clock set to each row's `at`; usage is charged to the run as the lifecycle does.
 */
export class Fixture {
  private seq = 0;
  constructor(
    readonly db: Db,
    readonly now: number,
  ) {}

  thread(project: string, at: number, title = ''): string {
    return seedThread(this.db, { project, title, at });
  }

  run(o: {
    thread: string;
    project: string;
    prompt: string;
    pattern: string | null;
    status: RunStatus;
    at: number;
    durationMs?: number;
    result?: string;
    error?: string;
  }): string {
    return seedRun(this.db, {
      threadId: o.thread,
      project: o.project,
      prompt: o.prompt,
      status: o.status,
      ...(o.pattern ? { pattern: o.pattern } : {}),
      result: o.result,
      error: o.error,
      options: SEED_OPTIONS,
      at: o.at,
      durationMs: o.durationMs,
      message: true,
    });
  }

  decision(
    runId: string,
    o: {
      seq: number;
      kind?: 'initial' | 'revision' | 'fallback';
      pattern: string;
      reasoning: string;
      at: number;
      confidence?: number;
      agents?: { role: string; model?: string; effort?: string; maxTurns?: number; instructions: string }[];
      expectations?: string;
      lessonsUsed?: number[];
      cost?: number;
      tokens?: Tokens;
      /** Stored instead of the decision: a row an older or broken writer left. */
      rawJson?: string;
      fallbackCause?: string;
    },
  ): string {
    const id = seedDecision(this.db, runId, {
      decision: {
        pattern: o.pattern as Decision['pattern'],
        agents: (o.agents ?? [{ role: 'coder', instructions: 'do it' }]) as Decision['agents'],
        reasoning: o.reasoning,
        expectations: o.expectations ?? 'tests pass',
        lessonsUsed: o.lessonsUsed ?? [],
        confidence: o.confidence ?? 0.8,
        extraFieldFromANewerWriter: true,
      },
      kind: o.kind ?? 'initial',
      tokens: o.tokens ?? { input: 1000, output: 200 },
      cost: o.cost ?? 0.002,
      durationMs: 900,
      ...(o.fallbackCause ? { fallbackCause: o.fallbackCause } : {}),
      chargeRun: true,
      at: o.at,
    });
    if (o.rawJson !== undefined) corruptStoredJson(this.db, 'decisions', 'decision_json', id, o.rawJson);
    return id;
  }

  agent(
    runId: string,
    o: {
      role: string;
      status: AgentStatus;
      at: number;
      durationMs?: number;
      decisionId?: string;
      label?: string;
      instructions?: string;
      retries?: number;
      turns?: number;
      cost?: number;
      tokens?: Tokens;
      result?: string;
      error?: string;
    },
  ): string {
    return seedAgentCall(this.db, runId, {
      role: o.role,
      status: o.status,
      at: o.at,
      durationMs: o.durationMs,
      decisionId: o.decisionId,
      label: o.label ?? '', // no label: shown as the role alone
      model: 'claude-sonnet-5-5',
      instructions: o.instructions ?? `act as ${o.role}`,
      turns: o.turns ?? 3,
      retries: o.retries ?? 0,
      result: o.result,
      error: o.error,
      tokens: o.tokens ?? { input: 5000, output: 800, cacheRead: 2000 },
      cost: o.cost ?? 0.01,
      chargeRun: true,
    });
  }

  tool(
    runId: string,
    agentId: string,
    o: {
      name: string;
      input: unknown;
      at: number;
      durationMs?: number;
      isError?: boolean;
      output?: string;
      status?: 'completed' | 'failed' | 'denied' | 'cancelled';
    },
  ): string {
    return seedToolCall(this.db, runId, agentId, {
      id: `toolu_${(++this.seq).toString().padStart(6, '0')}`,
      name: o.name,
      input: o.input,
      at: o.at,
      durationMs: o.durationMs ?? 40,
      isError: o.isError ?? false,
      output: o.output ?? 'ok',
      permission: 'auto',
      ...(o.status ? { status: o.status } : {}),
    });
  }

  question(runId: string, o: { agentId?: string; question: string; options?: string[]; answer?: string; at: number }): string {
    return seedQuestion(this.db, runId, { agentCallId: o.agentId, question: o.question, options: o.options, answer: o.answer, at: o.at });
  }

  steps(runId: string, steps: { title: string; agentId: string; status: PlanStepStatus }[]): void {
    seedPlanSteps(
      this.db,
      runId,
      steps.map((s) => ({ title: s.title, instructions: `do ${s.title}`, params: { file: 'src/a.ts' }, status: s.status, agentCallId: s.agentId })),
    );
  }

  analysis(runId: string, o: { outcome: string; summary: string; at: number; cost?: number; tokens?: Tokens }): void {
    seedAnalysis(this.db, runId, {
      outcome: o.outcome,
      summary: o.summary,
      signals: { agentCalls: 2, toolCalls: 3, tests: [{ command: 'npm test', passed: true }], testsPassed: true, filesChanged: ['src/a.ts'] },
      model: 'claude-haiku-5-5',
      tokens: o.tokens ?? { input: 800, output: 150 },
      cost: o.cost ?? 0.001,
      at: o.at,
    });
  }

  lesson(o: { project: string; runId: string | null; pattern: string; text: string; at: number }): number {
    return seedLesson(this.db, o);
  }

  feedback(runId: string, verdict: 'good' | 'bad', at: number, note?: string): void {
    seedFeedback(this.db, runId, verdict, { note, at });
  }
}

export interface Standard {
  dbPath: string;
  project: string;
  other: string;
  runs: {
    d1: string; // direct, success, 10s, feedback good
    d2: string; // direct, success, 20s
    d3: string; // direct, failed/failure, 30s, feedback bad
    plan: string; // plan-execute: revision, planner + 2 coders, tools, question, plan steps, lessons
    waiting: string; // review-loop, waiting for an answer
    other: string; // parallel, in the other project
    old: string; // clarify, 120 days old, wrote a lesson
  };
  threads: { main: string; old: string; other: string };
  lessons: { used: number; fromPlan: number; fromOld: number };
}

/**
 * The known history: five runs in `project` in the last two days, one 120 days old (its own
 * thread), one in another project. Costs add up the way the lifecycle keeps them.
 */
export function seedStandard(home: string, project: string, now = Date.now()): Standard {
  const dbPath = join(home, 'baton.db');
  const db = openDatabase(dbPath);
  const f = new Fixture(db, now);
  const other = '/elsewhere/other-project';
  const result = db.transaction((): Standard => {
    const oldAt = now - 120 * DAY;
    const oldThread = f.thread(project, oldAt, 'ancient work');
    const old = f.run({
      thread: oldThread,
      project,
      prompt: 'migrate the ancient build scripts',
      pattern: 'clarify',
      status: 'completed',
      at: oldAt,
      durationMs: 50_000,
    });
    f.decision(old, { seq: 1, pattern: 'clarify', reasoning: 'The request is ambiguous about which scripts.', at: oldAt + 100 });
    const oldAgent = f.agent(old, { role: 'explorer', status: 'completed', at: oldAt + 1000, durationMs: 40_000 });
    f.tool(old, oldAgent, { name: 'list_files', input: { path: 'scripts' }, at: oldAt + 2000 });
    f.analysis(old, { outcome: 'success', summary: 'Clarified and migrated the scripts.', at: oldAt + 51_000 });
    const fromOld = f.lesson({ project, runId: old, pattern: 'clarify', text: 'Ask which build scripts are meant before migrating.', at: oldAt + 52_000 });

    const main = f.thread(project, now - 2 * DAY, 'parser work');
    const t0 = now - 2 * DAY;
    const used = f.lesson({ project, runId: null, pattern: 'direct', text: 'Run the narrow parser test file first; the full suite is slow.', at: t0 - DAY });

    const direct = (k: number, at: number, durationMs: number, status: RunStatus, prompt: string) => {
      const id = f.run({
        thread: main,
        project,
        prompt,
        pattern: 'direct',
        status,
        at,
        durationMs,
        result: status === 'completed' ? 'done' : undefined,
        error: status === 'failed' ? 'bash: npm test exited 1' : undefined,
      });
      const d = f.decision(id, { seq: 1, pattern: 'direct', reasoning: `A small request (${k}): one coder is enough.`, at: at + 50, cost: 0.002 });
      const a = f.agent(id, {
        role: 'coder',
        status: status === 'failed' ? 'failed' : 'completed',
        at: at + 1000,
        durationMs: durationMs - 2000,
        decisionId: d,
        cost: 0.01,
        retries: k === 3 ? 2 : 0,
        error: status === 'failed' ? 'tests failed' : undefined,
      });
      f.tool(id, a, { name: 'read_file', input: { path: 'src/parser.ts' }, at: at + 1500 });
      return id;
    };
    const d1 = direct(1, t0, 10_000, 'completed', 'fix the off-by-one in the tokenizer');
    f.analysis(d1, { outcome: 'success', summary: 'Fixed the tokenizer bound; tests pass.', at: t0 + 11_000 });
    f.feedback(d1, 'good', t0 + 60_000, 'exactly right');
    const d2 = direct(2, t0 + 3_600_000, 20_000, 'completed', 'rename parseThing to parseNode everywhere');
    f.analysis(d2, { outcome: 'success', summary: 'Renamed across five files.', at: t0 + 3_621_000 });
    const d3 = direct(3, t0 + 7_200_000, 30_000, 'failed', 'make the parser accept trailing commas');
    f.analysis(d3, { outcome: 'failure', summary: 'Tests kept failing on nested arrays.', at: t0 + 7_231_000 });
    f.feedback(d3, 'bad', t0 + 7_300_000, 'did not work');

    const tp = now - DAY - 5 * MIN;
    const plan = f.run({
      thread: main,
      project,
      prompt: 'add a --json flag to the export command and document it',
      pattern: 'plan-execute',
      status: 'completed',
      at: tp,
      durationMs: 100_000,
      result: 'Added --json and documented it in the README.',
    });
    const dp = f.decision(plan, {
      seq: 1,
      pattern: 'plan-execute',
      reasoning: 'Touches the exporter, its tests and the README: ordered steps keep each change checkable.',
      at: tp + 100,
      confidence: 0.72,
      agents: [{ role: 'planner', effort: 'medium', maxTurns: 15, instructions: 'Plan the --json flag for the export command.' }],
      expectations: 'export --json prints valid JSON; tests pass',
      lessonsUsed: [used],
      cost: 0.003,
    });
    const planner = f.agent(plan, {
      role: 'planner',
      status: 'completed',
      at: tp + 1000,
      durationMs: 20_000,
      decisionId: dp,
      result: 'Two steps: implement, document.',
      cost: 0.02,
    });
    f.tool(plan, planner, { name: 'grep', input: { pattern: 'export', path: 'src' }, at: tp + 2000 });
    const dr = f.decision(plan, {
      seq: 2,
      kind: 'revision',
      pattern: 'plan-execute',
      reasoning: 'The user chose JSON lines; continue with the plan.',
      at: tp + 30_000,
      cost: 0.001,
    });
    const c1 = f.agent(plan, {
      role: 'coder',
      status: 'completed',
      at: tp + 31_000,
      durationMs: 40_000,
      decisionId: dr,
      label: 'step 1',
      cost: 0.05,
      retries: 1,
    });
    f.tool(plan, c1, { name: 'edit_file', input: { path: 'src/export.ts', old_string: 'a', new_string: 'b' }, at: tp + 32_000 });
    f.tool(plan, c1, { name: 'bash', input: { command: 'npm test' }, at: tp + 40_000, durationMs: 8000, isError: true, output: 'exit 1: 2 tests failed' });
    const q = f.question(plan, {
      agentId: c1,
      question: 'Should --json print one array or JSON lines?',
      options: ['array', 'lines'],
      answer: 'lines',
      at: tp + 50_000,
    });
    void q;
    const c2 = f.agent(plan, { role: 'coder', status: 'completed', at: tp + 72_000, durationMs: 25_000, decisionId: dr, label: 'step 2', cost: 0.03 });
    f.tool(plan, c2, { name: 'write_file', input: { path: 'README.md', content: '...' }, at: tp + 73_000 });
    f.steps(plan, [
      { title: 'implement --json in the exporter', agentId: c1, status: 'completed' },
      { title: 'document --json in the README', agentId: c2, status: 'completed' },
    ]);
    f.analysis(plan, { outcome: 'partial', summary: 'The flag works but one snapshot test was updated by hand.', at: tp + 101_000, cost: 0.002 });
    const fromPlan = f.lesson({
      project,
      runId: plan,
      pattern: 'plan-execute',
      text: 'The exporter snapshot tests must be regenerated after format changes.',
      at: tp + 102_000,
    });

    const tw = now - 3_600_000;
    const waiting = f.run({ thread: main, project, prompt: 'tidy up the exporter error messages', pattern: 'review-loop', status: 'waiting_user', at: tw });
    f.decision(waiting, { seq: 1, pattern: 'review-loop', reasoning: 'Quality is checkable: a coder then a reviewer.', at: tw + 100 });
    const wc = f.agent(waiting, { role: 'coder', status: 'executing', at: tw + 1000 });
    f.question(waiting, { agentId: wc, question: 'Keep the old error codes?', at: tw + 5000 });

    const otherThread = f.thread(other, now - DAY, 'elsewhere');
    const otherRun = f.run({
      thread: otherThread,
      project: other,
      prompt: 'survey the parser modules of the other project',
      pattern: 'parallel',
      status: 'completed',
      at: now - DAY,
      durationMs: 60_000,
    });
    f.decision(otherRun, { seq: 1, pattern: 'parallel', reasoning: 'Independent areas: parallel explorers.', at: now - DAY + 100 });
    f.agent(otherRun, { role: 'explorer', status: 'completed', at: now - DAY + 1000, durationMs: 30_000 });
    f.analysis(otherRun, { outcome: 'success', summary: 'Surveyed four parser modules.', at: now - DAY + 61_000 });

    return {
      dbPath,
      project,
      other,
      runs: { d1, d2, d3, plan, waiting, other: otherRun, old },
      threads: { main, old: oldThread, other: otherThread },
      lessons: { used, fromPlan, fromOld },
    };
  })();
  db.close();
  return result;
}

// ---------------------------------------------------------------- running the CLI against a seeded project

export interface Seeded {
  repo: TempRepo;
  data: Standard;
  baton: (...args: string[]) => Promise<CliResult>;
}

/** A temp git repository whose BATON_HOME holds the standard history, and a runner for the built CLI there. */
export function seededProject(now = Date.now()): Seeded {
  const repo = makeTempRepo();
  const data = seedStandard(repo.home, repo.root, now);
  return { repo, data, baton: (...args) => runBaton(args, { cwd: repo.root, home: repo.home }) };
}

/** Exit 2 with exactly one line on stderr (no stack trace) matching `message`, nothing on stdout. */
export function expectUsageError(res: CliResult, message: RegExp): void {
  expect(res.stdout).toBe('');
  const lines = res.stderr.trimEnd().split('\n');
  expect(lines, res.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(res.code).toBe(2);
}

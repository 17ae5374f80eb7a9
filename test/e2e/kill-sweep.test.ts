/**
 * The kill sweep: a plan-execute run of the built CLI (two steps, each running a bash command that
 * sleeps) is killed with SIGKILL at random moments, then `baton resume`d. Every resume must
 * succeed, no tool call may be left `running`, and no private index folder of a killed process
 * may stay behind. Three lanes run side by side (own repository and home each) to keep it short.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATON_BIN, runBaton } from '../support/cli.js';
import { routeBy, startFakeApi, textReply, toolReply, type FakeApi, type ParsedRequest } from '../support/fake-api.js';
import { makeTempRepo, type TempRepo } from '../support/repo.js';
import { decision, isDecision, isRole } from '../support/routes.js';

const KILLS = Number(process.env.BATON_KILLS ?? 40);
const LANES = 3;

let fake: FakeApi;
const repos: TempRepo[] = [];

const plan = {
  steps: [
    { title: 'first', instructions: 'run the first command', params: {} },
    { title: 'second', instructions: 'run the second command', params: {} },
  ],
};
const lastHasResult = (r: ParsedRequest) => {
  const last = r.messages.at(-1)!;
  return Array.isArray(last.content) && last.content.some((b) => b.type === 'tool_result');
};

beforeAll(async () => {
  fake = await startFakeApi({ latencyMs: 20 });
  // A function of the request only: the same answers whatever point a run resumes from.
  fake.setScript(
    routeBy({
      decision: {
        when: isDecision,
        replies: () =>
          decision('plan-execute', [
            { role: 'planner', instructions: 'plan it' },
            { role: 'coder', instructions: 'do the steps' },
          ]),
      },
      planner: { when: isRole('planner'), replies: () => textReply(`The plan:\n\`\`\`json\n${JSON.stringify(plan)}\n\`\`\``) },
      coder: {
        when: isRole('coder'),
        replies: (r) => (lastHasResult(r) ? textReply('step done') : toolReply('bash', { command: 'sleep 0.4; echo slept >> log.txt' })),
      },
    }),
  );
  for (let i = 0; i < LANES; i++) repos.push(makeTempRepo({ 'README.md': '# kill sweep\n' }));
});
afterAll(async () => {
  await fake.close();
  for (const r of repos) r.cleanup();
});

const env = (repo: TempRepo): Record<string, string> => {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('ANTHROPIC_') && !k.startsWith('BATON_')) e[k] = v;
  return {
    ...e,
    BATON_HOME: repo.home,
    NO_COLOR: '1',
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: fake.url,
    BATON_ANALYSIS: 'off',
    BATON_RETRY_BASE_MS: '5',
  };
};

/**
 * Starts a run and SIGKILLs it at a random moment: after the `afterEvents`-th event of its
 * stream-json output (text deltas not counted) plus up to 400 ms, or (0) during startup. Events
 * rather than a clock, so the kills spread over the run's phases however loaded the machine is.
 */
function runAndKill(repo: TempRepo, afterEvents: number): Promise<{ pid: number; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BATON_BIN, '-p', 'run both commands', '--permission-mode', 'bypass', '--output-format', 'stream-json'], {
      cwd: repo.root,
      env: env(repo),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const killSoon = () => {
      timer ??= setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, Math.random() * 400);
    };
    if (afterEvents === 0) killSoon();
    let seen = 0;
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const lines = (buffered + d).split('\n');
      buffered = lines.pop()!;
      seen += lines.filter((l) => l && !l.includes('"type":"text.delta"')).length;
      if (seen >= afterEvents) killSoon();
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ pid: child.pid!, finished: !killed });
    });
  });
}

function query<T>(repo: TempRepo, sql: string): T[] {
  const db = new Database(join(repo.home, 'baton.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

interface Tally {
  kills: number;
  finishedBeforeKill: number;
  noRunYet: number;
  resumed: number;
  failedResumes: string[];
  interruptedTools: number;
  pids: number[];
}

async function lane(repo: TempRepo, count: number, tally: Tally): Promise<void> {
  let previous: string | undefined;
  for (let i = 0; i < count; i++) {
    const { pid, finished } = await runAndKill(repo, Math.floor(Math.random() * 16));
    tally.kills++;
    tally.pids.push(pid);
    let run: { id: string; status: string } | undefined;
    try {
      run = query<{ id: string; status: string }>(repo, 'SELECT id, status FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1')[0];
    } catch {
      // Killed before the database existed.
    }
    if (!run || run.id === previous) {
      tally.noRunYet++;
      continue;
    }
    previous = run.id;
    if (finished || run.status === 'completed') {
      tally.finishedBeforeKill++;
      continue;
    }
    const r = await runBaton(['resume', run.id], { cwd: repo.root, home: repo.home, env: env(repo), timeoutMs: 60_000 });
    tally.resumed++;
    const after = query<{ status: string }>(repo, `SELECT status FROM runs WHERE id = '${run.id}'`)[0];
    if (r.code !== 0 || after?.status !== 'completed')
      tally.failedResumes.push(`${run.id}: exit ${r.code}, ${after?.status}: ${r.stderr.trim().split('\n').at(-1)}`);
  }
}

describe('kill -9 at random moments, then resume', () => {
  it(`${KILLS} kills: every resume succeeds, no tool call left running, no index folder left behind`, async () => {
    const tally: Tally = { kills: 0, finishedBeforeKill: 0, noRunYet: 0, resumed: 0, failedResumes: [], interruptedTools: 0, pids: [] };
    const started = Date.now();
    await Promise.all(repos.map((repo, i) => lane(repo, Math.floor(KILLS / LANES) + (i < KILLS % LANES ? 1 : 0), tally)));
    const unfinished = repos.flatMap((repo) =>
      query<{ id: string; status: string }>(repo, "SELECT id, status FROM tool_calls WHERE status IN ('running', 'requested')"),
    );
    tally.interruptedTools = repos.reduce(
      (n, repo) => n + query<{ n: number }>(repo, "SELECT COUNT(*) AS n FROM tool_calls WHERE status = 'interrupted'")[0]!.n,
      0,
    );
    const completed = repos.reduce((n, repo) => n + query<{ n: number }>(repo, "SELECT COUNT(*) AS n FROM runs WHERE status = 'completed'")[0]!.n, 0);
    const leftFolders = readdirSync(tmpdir()).filter((n) => tally.pids.some((pid) => n.startsWith(`baton-index-${pid}-`)));
    console.log(
      `kill sweep: ${tally.kills} kills in ${((Date.now() - started) / 1000).toFixed(0)}s; ${tally.resumed} resumed, ${tally.failedResumes.length} failed; ` +
        `${tally.finishedBeforeKill} completed before the kill, ${tally.noRunYet} killed before a run was recorded; ` +
        `${tally.interruptedTools} tool calls marked interrupted; ${unfinished.length} left running; ${completed} runs completed; ${leftFolders.length} index folders left`,
    );
    expect(tally.failedResumes).toEqual([]);
    expect(unfinished).toEqual([]);
    expect(leftFolders).toEqual([]);
    expect(tally.kills).toBe(KILLS);
    expect(tally.resumed).toBeGreaterThan(KILLS / 2);
  }, 420_000);
});

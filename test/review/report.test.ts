import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countColor, readPng } from './png.js';
import { openDatabase } from '../../src/store/db.js';
import { expectUsageError, Fixture, seededProject, type Seeded } from './fixture.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM) console.warn('report.test: chromium is not installed (apt-get install -y chromium); the headless rendering check is SKIPPED');

/** Runs headless Chromium on a local file with everything that could reach the network turned off. */
async function chromium(args: string[], file: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'baton-chromium-'));
  try {
    const { stdout } = await promisify(execFile)(
      CHROMIUM!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        ...args,
        pathToFileURL(file).href,
      ],
      { timeout: 60_000, maxBuffer: 20_000_000 },
    );
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

describe('baton report', () => {
  let s: Seeded;
  let html: string;
  let file: string;
  beforeAll(async () => {
    s = seededProject();
    file = join(s.repo.home, 'report.html');
    const res = await s.baton('report', '--out', file, '--run', s.data.runs.plan.slice(0, 12));
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/^wrote .*report\.html; open it in a browser/);
    html = readFileSync(file, 'utf8');
  });
  afterAll(() => s.repo.cleanup());

  it('is one self-contained page: no scripts, no external URLs, nothing to fetch', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/https?:|\/\/[a-z0-9.-]+\//i);
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/url\(/i);
  });

  it('holds outcomes per pattern over time, cost per pattern and the timeline of the chosen run', () => {
    expect(html).toContain('<svg class="chart" id="outcomes"');
    expect(html).toContain('<svg class="chart" id="cost"');
    expect(html).toContain('<svg class="chart" id="timeline"');
    for (const pattern of ['direct', 'plan-execute', 'review-loop', 'clarify']) expect(html).toContain(`>${pattern}</text>`);
    expect(html).not.toContain('>parallel</text>'); // another project
    const directSuccesses = [...html.matchAll(/direct, \d{4}-\d\d-\d\d: (\d+) success/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(directSuccesses).toBe(2);
    expect(html).toMatch(/plan-execute: \$0\.1060/);
    // the Gantt: 3 agent bars, 2 decisions, 4 tool calls (1 failed), 1 question
    const timeline = html.slice(html.indexOf('id="timeline"'));
    expect(timeline.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(timeline.match(/<polygon/g)).toHaveLength(2);
    expect(timeline).toMatch(/<title>decision 2 \(revision\) → plan-execute: The user chose JSON lines/);
    expect(timeline).toMatch(/<title>bash failed, 8\.0s<\/title>/);
    expect(timeline).toMatch(/<title>question: Should --json print one array or JSON lines\? → lines<\/title>/);
    expect(timeline).toMatch(/<title>coder · step 1 \(claude-sonnet-5-5\) completed, 40\.0s/);
  });

  it('escapes recorded text', async () => {
    const db = openDatabase(s.data.dbPath);
    const f = new Fixture(db, Date.now());
    const thread = f.thread(s.repo.root, Date.now());
    const run = f.run({
      thread,
      project: s.repo.root,
      prompt: 'why does <script>alert("x")</script> & co break?',
      pattern: 'direct',
      status: 'completed',
      at: Date.now(),
      durationMs: 500,
    });
    f.decision(run, { seq: 1, pattern: 'direct', reasoning: 'a </title><svg onload=x> reason', at: Date.now() });
    db.close();
    const res = await s.baton('report', '--out', '-', '--run', run);
    expect(res.stdout).toContain('why does &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; co break?');
    expect(res.stdout).toContain('a &#60;/title&#62;&#60;svg onload=x&#62; reason');
    expect(res.stdout).not.toMatch(/<script|<svg onload/);
  });

  it('refuses a thread as --run, in one line', async () => {
    expectUsageError(await s.baton('report', '--out', '-', '--run', s.data.threads.main), /^baton: --run needs a run id; t_\w+ is a thread$/);
  });

  it.skipIf(!CHROMIUM)('renders in headless Chromium: the DOM parses and the charts are painted', async () => {
    const dom = await chromium(['--dump-dom'], file);
    expect(dom).toContain('id="timeline"');
    expect(dom.match(/<rect class="bar"/g)).toHaveLength(3);

    const shot = join(s.repo.home, 'report.png');
    await chromium([`--screenshot=${shot}`, '--window-size=1100,1800'], file);
    const img = readPng(shot);
    expect(img.width).toBe(1100);
    // Each colour the charts use is actually painted: outcome bars, agent bars, decision diamonds, failed tool call.
    for (const [what, color] of [
      ['success bars', '#2e7d32'],
      ['failure bars', '#c62828'],
      ['partial bars', '#f9a825'],
      ['completed agent bars', '#1565c0'],
      ['decision diamonds', '#6a1b9a'],
    ] as const) {
      expect(countColor(img, color), what).toBeGreaterThan(40);
    }
  });
});

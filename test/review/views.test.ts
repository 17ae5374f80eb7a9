/**
 * The review queries written for speed against the plain SQL they replaced, on a generated history
 * of several projects (bench/gen-db.ts): same rows, same order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDatabase } from '../../bench/gen-db.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { latestRunId } from '../../src/store/views/ids.js';
import { ftsQuery, searchText } from '../../src/store/views/search.js';
import { seedRun, seedThread } from '../support/seed.js';

const MAIN = '/work/demo';
const PROJECTS = [MAIN, '/home/dev/work/api-server', '/home/dev/work/web-app', '/home/dev/oss/parser', '/tmp/scratch'];

describe('review queries on a generated history', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-views-'));
  let db: Db;
  beforeAll(() => {
    const path = join(dir, 'gen.db');
    generateDatabase({ path, runs: 3000, project: MAIN, seed: 3 });
    db = openDatabase(path);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('search ranks exactly as one query joining the documents did, per project and over all of them', () => {
    // bm25 over every match, the project as a filter of the ranked list; ties newest first.
    const plain = db.prepare(
      `SELECT s.rowid AS rowid, d.kind, d.ref, d.project, s.rank AS score
       FROM search_index s JOIN search_docs d ON d.id = s.rowid
       WHERE search_index MATCH @match AND (@project IS NULL OR d.project = @project) ORDER BY s.rank, s.rowid DESC LIMIT @limit`,
    );
    let compared = 0;
    for (const text of ['parser error', 'retry*', 'flaky tests', 'the', 'README install', 'webhook']) {
      for (const project of [...PROJECTS, undefined]) {
        for (const limit of [1, 20, 200]) {
          const expected = (plain.all({ match: ftsQuery(text), project: project ?? null, limit }) as { ref: string; project: string; score: number }[]).map(
            (r) => [r.ref.startsWith('lesson:') ? Number(r.ref.slice(7)) : r.ref, r.project, r.score],
          );
          const got = searchText(db, text, { project, limit, open: '[', close: ']' }).map((h) => [h.lessonId ?? h.runId, h.project, h.score]);
          expect(got).toEqual(expected);
          compared += got.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(2000);
  });

  it('the latest run is the one ORDER BY started_at DESC, id DESC picks, ties on the start time included', () => {
    const plain = (project: string | undefined) =>
      db
        .prepare('SELECT id FROM runs WHERE @project IS NULL OR project = @project ORDER BY started_at DESC, id DESC LIMIT 1')
        .pluck()
        .get({ project: project ?? null }) as string | undefined;
    const check = () => {
      for (const project of [...PROJECTS, '/nowhere', undefined]) expect(latestRunId(db, project)).toBe(plain(project));
    };
    check();
    // Three runs started at the same instant, the newest of all: the greatest id wins.
    const at = (db.prepare('SELECT max(started_at) FROM runs').pluck().get() as number) + 1000;
    const thread = seedThread(db, { project: PROJECTS[3]!, title: 'ties', at });
    const ids = ['b', 'c', 'a'].map((p) =>
      seedRun(db, { threadId: thread, project: PROJECTS[3]!, id: `r_tie_${p}`, prompt: `tie ${p}`, pattern: 'direct', status: 'completed', at }),
    );
    check();
    expect(latestRunId(db, undefined)).toBe([...ids].sort().at(-1));
  });
});

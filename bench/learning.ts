/**
 * `npm run bench -- learning`: does the right lesson reach the decision? Each pair's first request
 * writes its lesson (through the analysis's operations, with its keywords), the distractors theirs;
 * then each second request is asked for its learning context exactly as a decision would. Prints the
 * shown-rate, precision@3 (the paired lesson among the first three related lessons) over all pairs,
 * those sharing a content word and the reworded ones, what stems, synonyms and keywords each add,
 * the tokens of the context, and what one `good` and one `bad` do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordFeedback } from '../src/learning/feedback.js';
import { applyLessonOps } from '../src/learning/lessons.js';
import { learningContext, type RetrievalOptions } from '../src/learning/retrieval.js';
import { stems } from '../src/learning/text.js';
import { openDatabase, type Db } from '../src/store/db.js';
import { seedRun } from '../test/support/seed.js';
import type { BenchRow } from './harness.js';
import { distractors, pairs } from './learning-data.js';

const PROJECT = '/bench/learning-project';

interface Seeded {
  lessonId: number;
  runId: string;
}

function learn(db: Db, first: string, text: string, keywords: string[]): Seeded {
  const runId = seedRun(db, { project: PROJECT, prompt: first, status: 'completed', pattern: 'direct' });
  const r = applyLessonOps(db, { projectPath: PROJECT, runId, pattern: 'direct', prompt: first, ops: [{ op: 'add', text, keywords }] });
  const lessonId = r.added[0] ?? r.reinforced[0];
  if (lessonId === undefined) throw new Error(`lesson not written: ${text}`);
  return { lessonId, runId };
}

/** Whether the second request shares a content stem with the lesson or the request it came from. */
const sharesWord = (p: (typeof pairs)[number]): boolean => {
  const known = new Set(stems(`${p.lesson} ${p.first}`));
  return stems(p.second).some((s) => known.has(s));
};

interface Measure {
  shown: number;
  shownRelated: number;
  hit3: number;
  hit3Shared: number;
  hit3Reworded: number;
  tokens: number;
  /** Mean 1-based rank of the paired lesson among what is shown (missing: shown count + 1). */
  rank: number;
}

function measure(db: Db, seeded: Seeded[], o: RetrievalOptions = {}): Measure {
  const m = { shown: 0, shownRelated: 0, hit3: 0, hit3Shared: 0, hit3Reworded: 0, tokens: 0, rank: 0 };
  pairs.forEach((p, i) => {
    const ctx = learningContext(db, PROJECT, p.second, o);
    const id = seeded[i]!.lessonId;
    const at = ctx.lessons.findIndex((l) => l.id === id);
    const related = ctx.lessons.filter((l) => l.related);
    const hit = related.slice(0, 3).some((l) => l.id === id);
    m.shown += at >= 0 ? 1 : 0;
    m.shownRelated += related.some((l) => l.id === id) ? 1 : 0;
    m.hit3 += hit ? 1 : 0;
    if (sharesWord(p)) m.hit3Shared += hit ? 1 : 0;
    else m.hit3Reworded += hit ? 1 : 0;
    m.tokens += ctx.tokens;
    m.rank += at >= 0 ? at + 1 : ctx.lessons.length + 1;
  });
  const n = pairs.length;
  return { ...m, tokens: m.tokens / n, rank: m.rank / n };
}

/** Runs `fn` and undoes everything it wrote. */
function tentatively<T>(db: Db, fn: () => T): T {
  db.exec('SAVEPOINT bench');
  try {
    return fn();
  } finally {
    db.exec('ROLLBACK TO bench; RELEASE bench');
  }
}

export default async function learningBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-learning-'));
  const db = openDatabase(join(dir, 'baton.db'));
  try {
    const seeded = pairs.map((p) => learn(db, p.first, p.lesson, p.keywords));
    const noise = distractors.map(([text, first]) => learn(db, first, text, []));
    const shared = pairs.filter(sharesWord).length;
    const reworded = pairs.length - shared;
    const n = pairs.length;
    const pct = (x: number, of = n) => (of ? (100 * x) / of : 0);

    const full = measure(db, seeded);
    const stemsOnly = measure(db, seeded, { expand: false, keywords: false });
    const synonymsOnly = measure(db, seeded, { keywords: false });
    const tight = measure(db, seeded, { budgetTokens: 400 });

    // One `good` on each pair's source run (and one `bad`), measured one pair at a time.
    const effect = (verdict: 'good' | 'bad') => {
      let rank = 0;
      let hits = 0;
      pairs.forEach((p, i) => {
        const s = seeded[i]!;
        tentatively(db, () => {
          recordFeedback(db, s.runId, verdict);
          const ctx = learningContext(db, PROJECT, p.second);
          const at = ctx.lessons.findIndex((l) => l.id === s.lessonId);
          rank += at >= 0 ? at + 1 : ctx.lessons.length + 1;
          hits += ctx.lessons
            .filter((l) => l.related)
            .slice(0, 3)
            .some((l) => l.id === s.lessonId)
            ? 1
            : 0;
        });
      });
      return { rank: rank / n, hits };
    };
    const good = effect('good');
    const bad = effect('bad');
    // One `good` on an unrelated (distractor) lesson: how often it enters the related top 3 of a decision.
    const leak = (() => {
      let before = 0;
      let after = 0;
      noise.forEach((d) => {
        const top3 = () =>
          pairs.filter((p) =>
            learningContext(db, PROJECT, p.second)
              .lessons.filter((l) => l.related)
              .slice(0, 3)
              .some((l) => l.id === d.lessonId),
          ).length;
        before += top3();
        after += tentatively(db, () => (recordFeedback(db, d.runId, 'good'), top3()));
      });
      return { before: before / (noise.length * n), after: after / (noise.length * n) };
    })();

    return [
      {
        name: `eval set: pairs (${shared} share a word, ${reworded} reworded)`,
        value: n,
        unit: 'pairs',
        target: '>= 40, >= half reworded',
        ok: n >= 40 && reworded * 2 >= n,
      },
      { name: 'eval set: distractor lessons', value: distractors.length, unit: 'lessons', target: '>= 20', ok: distractors.length >= 20 },
      { name: 'shown-rate (paired lesson reaches the decision)', value: pct(full.shown), unit: '%', target: '>= 95%', ok: pct(full.shown) >= 95 },
      { name: 'shown as related (matched, not general)', value: pct(full.shownRelated), unit: '%' },
      { name: 'precision@3, all', value: pct(full.hit3), unit: '%' },
      { name: 'precision@3, shared words', value: pct(full.hit3Shared, shared), unit: '%', target: '>= 90%', ok: pct(full.hit3Shared, shared) >= 90 },
      { name: 'precision@3, reworded (stems+synonyms+keywords)', value: pct(full.hit3Reworded, reworded), unit: '%' },
      { name: '  reworded, stems only (no synonyms, no keywords)', value: pct(stemsOnly.hit3Reworded, reworded), unit: '%' },
      { name: '  reworded, stems + synonyms (no keywords)', value: pct(synonymsOnly.hit3Reworded, reworded), unit: '%' },
      { name: '  shared words, stems only', value: pct(stemsOnly.hit3Shared, shared), unit: '%' },
      { name: 'learning context per decision', value: full.tokens, unit: 'tokens', target: '<= 1500', ok: full.tokens <= 1500 },
      { name: 'shown-rate with a 400-token budget', value: pct(tight.shown), unit: '%' },
      { name: 'mean rank of the paired lesson', value: full.rank, unit: '' },
      { name: '  after one good on its run', value: good.rank, unit: '', target: 'lower (better) than without', ok: good.rank < full.rank },
      { name: '  after one bad on its run', value: bad.rank, unit: '', target: 'higher (worse) than without', ok: bad.rank > full.rank },
      { name: '  precision@3 after one good', value: pct(good.hits), unit: '%' },
      { name: '  precision@3 after one bad', value: pct(bad.hits), unit: '%' },
      { name: 'unrelated lesson in a top 3, before a good on it', value: 100 * leak.before, unit: '%' },
      { name: '  after one good on it', value: 100 * leak.after, unit: '%', target: 'no more than +2 points', ok: 100 * (leak.after - leak.before) <= 2 },
    ];
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

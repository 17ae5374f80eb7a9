/** Full-text search over prompts, reasoning, analyses and lessons (`baton search`). */
import { UserError } from '../../core/errors.js';
import type { Db } from '../db.js';

export interface SearchHit {
  kind: 'prompt' | 'reasoning' | 'analysis' | 'lesson';
  /** The run the text belongs to; for a lesson, the run that wrote it (null if that run is gone). */
  runId: string | null;
  lessonId: number | null;
  project: string;
  /** The matching text, shortened around the match; matches are wrapped in the given markers. */
  snippet: string;
  /** bm25: lower is a better match. */
  score: number;
  startedAt: number | null;
}

/**
 * Turns what a person typed into an FTS5 query that cannot be a syntax error: every word becomes
 * a quoted string (embedded quotes doubled), words are ANDed, and a trailing `*` keeps prefix search.
 * Returns undefined when nothing searchable is left.
 */
export function ftsQuery(text: string): string | undefined {
  const terms = text
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .map((w) => {
      const prefix = w.endsWith('*');
      const word = prefix ? w.replace(/\*+$/, '') : w;
      return `"${word.replaceAll('"', '""')}"${prefix ? '*' : ''}`;
    });
  return terms.length ? terms.join(' ') : undefined;
}

/**
 * The best `limit` matches (bm25, lower first; ties newest first), in the project when one is given.
 *
 * Ranked on the index alone, then each candidate's document looked up in rank order until `limit`
 * are found. Joining search_docs inside the ranking query read the document of every match
 * (11k matches on a 100k-run database: thousands of pages, ~70 ms of a ~100 ms query); in rank
 * order, a project with a fair share of the history needs a few dozen. Same rows, same order:
 * the ranking is over the same matches, and the project only filters it.
 */
export function searchText(db: Db, text: string, opts: { project?: string | undefined; limit: number; open: string; close: string }): SearchHit[] {
  const match = ftsQuery(text);
  if (!match) throw new UserError(`nothing to search for in "${text}"; give one or more words`);
  // `+rank`: SQLite's sorter, not FTS5's rank-ordered scan (slower here, and its ties come in no set order).
  const ranked = db
    .prepare('SELECT rowid, rank AS score FROM search_index WHERE search_index MATCH ? ORDER BY +rank, rowid DESC')
    .raw()
    .iterate(match) as IterableIterator<[number, number]>;
  const docOf = db.prepare('SELECT kind, ref, project FROM search_docs WHERE id = ?');
  const top: { rowid: number; kind: SearchHit['kind']; ref: string; project: string; score: number }[] = [];
  // Leaving the loop early (or on a throw) ends the ranking statement: for...of calls its return().
  for (const [rowid, score] of ranked) {
    const doc = docOf.get(rowid) as { kind: SearchHit['kind']; ref: string; project: string } | undefined;
    if (!doc || (opts.project !== undefined && doc.project !== opts.project)) continue;
    top.push({ rowid, ...doc, score });
    if (top.length >= opts.limit) break;
  }
  const snippetOf = db.prepare(`SELECT snippet(search_index, 0, ?, ?, '…', 14) FROM search_index WHERE search_index MATCH ? AND rowid = ?`).pluck();
  const lessonRun = db.prepare('SELECT l.run_id FROM lessons l WHERE l.id = ?').pluck();
  const runStart = db.prepare('SELECT started_at FROM runs WHERE id = ?').pluck();
  return top.map((t) => {
    const lessonId = t.kind === 'lesson' ? Number(t.ref.slice('lesson:'.length)) : null;
    const runId = lessonId === null ? t.ref : ((lessonRun.get(lessonId) as string | null | undefined) ?? null);
    return {
      kind: t.kind,
      runId,
      lessonId,
      project: t.project,
      // A BigInt binds as INTEGER; FTS5 ignores a rowid constraint bound as a REAL (what a JS number binds as).
      snippet: String(snippetOf.get(opts.open, opts.close, match, BigInt(t.rowid)) ?? ''),
      score: t.score,
      startedAt: runId === null ? null : ((runStart.get(runId) as number | undefined) ?? null),
    };
  });
}

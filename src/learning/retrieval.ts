/**
 * Finding the lessons a decision should see. The index is the project's own lessons (text,
 * keywords, the request each came from), ranked with BM25 using this project's term statistics
 * only, so another project's history never moves this one's ranking; relevance is multiplied by a
 * factor of the weight, so feedback counts among equally relevant lessons. A lesson that shares no
 * discriminating word with the request is not presented as related: it is listed apart as general.
 * While everything fits the token budget everything is shown; past it, the most relevant first.
 */
import type { Db } from '../store/db.js';
import { feedbackNotes, visibleLessons, type FeedbackNoteRow, type LessonRow } from '../store/lessons.js';
import { resolveProject } from './project.js';
import { terms, tokensOf } from './text.js';

/** About 1,500 tokens of lessons and notes per decision (DESIGN.md, Learning). */
export const LESSON_BUDGET_TOKENS = 1500;
const NOTES_SHOWN = 3;
const NOTES_SCANNED = 200;
const K1 = 1.2;
const B = 0.75;
/** Field weights: a lesson's own words and keywords count fully, the request it came from half. */
const PROMPT_FIELD = 0.5;
/** Words of the thread (summary or last turn) count half as much as the request's own. */
const CONTEXT_WEIGHT = 0.5;
/** A word in more than this share of the project's lessons says nothing about relatedness. */
const MAX_DOC_SHARE = 0.5;
/** Below this many lessons every shared word counts (shares mean little in a tiny set). */
const SMALL_SET = 4;

export interface RetrievalOptions {
  /** Thread context: its summary, else its last turn. */
  context?: string | undefined;
  budgetTokens?: number | undefined;
  /** false: plain stems, no synonym folding (for measuring what the synonyms add). */
  expand?: boolean | undefined;
  /** false: ignore lessons' keywords (for measuring what they add). */
  keywords?: boolean | undefined;
}

export interface ShownLesson {
  id: number;
  text: string;
  /** Matched the request; false: shown as a general lesson of the project. */
  related: boolean;
  weight: number;
  uses: number;
  pinned: boolean;
  /** Relevance times weight factor (0 for general lessons). */
  score: number;
}

export interface ShownNote {
  runId: string;
  verdict: 'good' | 'bad';
  note: string;
  prompt: string;
}

export interface LearningContext {
  /** Related lessons by score, then general ones by weight: what the decision is shown. */
  lessons: ShownLesson[];
  /** Feedback notes on related past runs. */
  notes: ShownNote[];
  /** The rendered lessons and notes, in tokens. */
  tokens: number;
  /** How many visible lessons the project has (shown or not). */
  total: number;
}

/** How much the weight moves a lesson's relevance: 1 at weight 1, from 0.5 (weight 0) to 2 (weight 3). */
export const weightFactor = (weight: number): number => 0.5 + 0.5 * Math.min(3, Math.max(0, weight));

interface Doc {
  tf: Map<string, number>;
  length: number;
}

function addTerms(tf: Map<string, number>, words: readonly string[], weight: number): number {
  for (const t of words) tf.set(t, (tf.get(t) ?? 0) + weight);
  return words.length * weight;
}

function lessonDoc(l: LessonRow, o: RetrievalOptions): Doc {
  const tf = new Map<string, number>();
  const expand = o.expand !== false;
  let length = addTerms(tf, terms(l.text, expand), 1);
  if (o.keywords !== false) length += addTerms(tf, terms(l.keywords, expand), 1);
  length += addTerms(tf, terms(l.prompt, expand), PROMPT_FIELD);
  return { tf, length };
}

function noteDoc(n: FeedbackNoteRow, o: RetrievalOptions): Doc {
  const tf = new Map<string, number>();
  const expand = o.expand !== false;
  const length = addTerms(tf, terms(n.note, expand), 1) + addTerms(tf, terms(n.prompt, expand), 1);
  return { tf, length };
}

/** The query's terms with their weights: the request's at 1, the thread context's at CONTEXT_WEIGHT. */
export function queryTerms(request: string, context: string | undefined, expand = true): Map<string, number> {
  const q = new Map<string, number>();
  for (const t of terms(context ?? '', expand)) q.set(t, CONTEXT_WEIGHT);
  for (const t of terms(request, expand)) q.set(t, 1);
  return q;
}

/** BM25 of each doc for the query, over these docs' own statistics; 0 where no discriminating term matches. */
export function bm25(docs: readonly Doc[], query: Map<string, number>): number[] {
  const n = docs.length;
  if (n === 0) return [];
  const avg = docs.reduce((s, d) => s + d.length, 0) / n || 1;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.tf.keys()) if (query.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  return docs.map((d) => {
    let score = 0;
    for (const [t, qw] of query) {
      const tf = d.tf.get(t);
      const dft = df.get(t) ?? 0;
      if (!tf || (n >= SMALL_SET && dft / n > MAX_DOC_SHARE)) continue;
      const idf = Math.log(1 + (n - dft + 0.5) / (dft + 0.5));
      score += qw * idf * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * d.length) / avg)));
    }
    return score;
  });
}

/** The project's lessons ranked for a request: related ones by score, then the rest by weight. */
export function rankLessons(db: Db, key: string, request: string, o: RetrievalOptions = {}): ShownLesson[] {
  const lessons = visibleLessons(db, key);
  const query = queryTerms(request, o.context, o.expand !== false);
  const scores = bm25(
    lessons.map((l) => lessonDoc(l, o)),
    query,
  );
  const shown = lessons.map((l, i) => {
    const relevance = scores[i]!;
    return {
      id: l.id,
      text: l.text,
      related: relevance > 0,
      weight: l.weight,
      uses: l.uses,
      pinned: l.pinned === 1,
      score: relevance * weightFactor(l.weight),
    };
  });
  const related = shown.filter((l) => l.related).sort((a, b) => b.score - a.score || b.id - a.id);
  const general = shown.filter((l) => !l.related).sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.weight - a.weight || b.id - a.id);
  return [...related, ...general];
}

/** One lesson as the decision reads it. */
export function lessonLine(l: Pick<ShownLesson, 'id' | 'text' | 'weight' | 'uses' | 'pinned'>): string {
  const facts = [`weight ${l.weight.toFixed(2).replace(/\.?0+$/, '')}`, l.uses ? `used ${l.uses}×` : '', l.pinned ? 'pinned by the user' : ''].filter(Boolean);
  return `#${l.id}: ${l.text} (${facts.join(', ')})`;
}

export function noteLine(n: ShownNote): string {
  return `${n.verdict} on "${n.prompt.replace(/\s+/g, ' ').slice(0, 120)}": ${n.note}`;
}

/**
 * What a decision (or revision) in `projectPath` is shown for `request`: every visible lesson while
 * they all fit the budget, related first; past it, pinned lessons, then the most relevant, then the
 * strongest general ones, as long as they fit. Plus up to three feedback notes on related runs.
 */
export function learningContext(db: Db, projectPath: string, request: string, o: RetrievalOptions = {}): LearningContext {
  const project = resolveProject(db, projectPath);
  const budget = o.budgetTokens ?? LESSON_BUDGET_TOKENS;
  const ranked = rankLessons(db, project.key, request, o);
  const noteRows = feedbackNotes(db, project.paths, NOTES_SCANNED);
  const noteScores = bm25(
    noteRows.map((n) => noteDoc(n, o)),
    queryTerms(request, o.context, o.expand !== false),
  );
  const notes = noteRows
    .map((n, i) => ({ n, s: noteScores[i]! }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s)
    .slice(0, NOTES_SHOWN)
    .map(({ n }) => ({ runId: n.run_id, verdict: n.verdict, note: n.note, prompt: n.prompt }));
  let used = notes.reduce((s, n) => s + tokensOf(noteLine(n)), 0);
  const cost = (l: ShownLesson) => tokensOf(lessonLine(l)) + 1;
  const all = ranked.reduce((s, l) => s + cost(l), 0);
  let lessons: ShownLesson[];
  if (used + all <= budget) lessons = ranked;
  else {
    const keep = new Set<number>();
    // Pinned lessons are the user's word: always shown.
    for (const l of ranked) if (l.pinned) keep.add(l.id), (used += cost(l));
    for (const l of ranked) {
      if (keep.has(l.id) || used + cost(l) > budget) continue;
      keep.add(l.id);
      used += cost(l);
    }
    lessons = ranked.filter((l) => keep.has(l.id));
  }
  const tokens = lessons.reduce((s, l) => s + cost(l), 0) + notes.reduce((s, n) => s + tokensOf(noteLine(n)), 0);
  return { lessons, notes, tokens, total: ranked.length };
}

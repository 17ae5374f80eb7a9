/**
 * Lessons: short advice the post-run analysis writes for later decisions in a project, kept small
 * and free of near-duplicates the ExpeL way: the analysis is shown the related lessons and returns
 * operations on them (add, edit, reinforce, weaken); an `add` that nearly repeats a lesson becomes a
 * reinforcement of it. Feedback on the run then applies to what it wrote (learning/feedback.ts).
 */
import * as z from '../core/zod.js';
import { immediate, type Db } from '../store/db.js';
import {
  addLessonSource,
  countLessonVote,
  getLesson,
  insertLesson,
  projectLessons,
  setLessonKeywords,
  setLessonWeight,
  updateLessonText,
  type LessonRow,
} from '../store/lessons.js';
import { applyVerdict } from './verdicts.js';
import { resolveProject } from './project.js';
import { rankLessons, type ShownLesson } from './retrieval.js';
import { similarity } from './text.js';

export type { LessonRow } from '../store/lessons.js';
export type { Verdict } from '../store/feedback.js';
export type { LessonChange } from './verdicts.js';

export const WEIGHT_MIN = -1;
export const WEIGHT_MAX = 3;
/** An analysis's vote: the advice held (or failed) once more. */
const VOTE = 0.5;
const LESSON_MAX_CHARS = 400;
const MAX_KEYWORDS = 8;
/** Similarity (text.ts) at or above which an added lesson is the same advice as an existing one. */
export const NEAR_DUPLICATE = 0.7;

/** One operation of the analysis on the project's lessons. */
export const LessonOp = z.object({
  op: z.enum(['add', 'edit', 'reinforce', 'weaken']),
  /** The shown lesson an edit, reinforce or weaken is about. */
  id: z.optional(z.int()),
  /** The lesson's text, for add and edit. */
  text: z.optional(z.string()),
  /** A few words a user might use for the same thing, not in the text. */
  keywords: z.optional(z.array(z.string()).check(z.maxLength(MAX_KEYWORDS))),
});
export type LessonOp = z.infer<typeof LessonOp>;

export interface AppliedOps {
  added: number[];
  edited: number[];
  reinforced: number[];
  weakened: number[];
  /** Operations that named no lesson the analysis was shown, or had no text. */
  ignored: number;
}

const cleanText = (raw: string | undefined): string => (raw ?? '').replace(/\s+/g, ' ').trim().slice(0, LESSON_MAX_CHARS);

function mergeKeywords(existing: string, added: readonly string[] | undefined): string {
  const words = new Set(existing.split(' ').filter(Boolean));
  for (const k of added ?? []) for (const w of k.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}-]*/gu) ?? []) words.add(w);
  return [...words].slice(0, MAX_KEYWORDS * 2).join(' ');
}

/**
 * Applies an analysis's operations for `runId` in `projectPath`. `shownIds` are the lessons the
 * analysis was shown: only those may be edited or voted on (undefined: any lesson of the project).
 * A run votes on a lesson once. Then the run's verdict, if it already has one, is applied to what
 * it wrote.
 */
export function applyLessonOps(
  db: Db,
  args: {
    projectPath: string;
    runId: string | null;
    pattern: string | null;
    prompt: string;
    ops: readonly LessonOp[];
    shownIds?: ReadonlySet<number> | undefined;
  },
): AppliedOps {
  const { key } = resolveProject(db, args.projectPath);
  const out: AppliedOps = { added: [], edited: [], reinforced: [], weakened: [], ignored: 0 };
  const touched = new Set<number>();
  const ofProject = (id: number | undefined): LessonRow | undefined => {
    if (id === undefined || (args.shownIds && !args.shownIds.has(id))) return undefined;
    const l = getLesson(db, id);
    return l?.project_key === key ? l : undefined;
  };
  const vote = (l: LessonRow, op: 'reinforce' | 'weaken', keywords?: readonly string[]) => {
    if (touched.has(l.id) || (args.runId && !addLessonSource(db, l.id, args.runId, op))) return false;
    touched.add(l.id);
    const delta = op === 'reinforce' ? VOTE : -VOTE;
    setLessonWeight(db, l.id, Math.min(WEIGHT_MAX, Math.max(WEIGHT_MIN, l.weight + delta)));
    countLessonVote(db, l.id, op);
    if (keywords?.length) setLessonKeywords(db, l.id, mergeKeywords(l.keywords, keywords));
    return true;
  };
  immediate(db, () => {
    for (const op of args.ops) {
      if (op.op === 'add') {
        const text = cleanText(op.text);
        if (!text) {
          out.ignored++;
          continue;
        }
        // Hidden lessons too: written again, it is the same lesson.
        const twin = nearDuplicate(projectLessons(db, key), text);
        if (twin) {
          if (vote(twin, 'reinforce', op.keywords)) out.reinforced.push(twin.id);
          continue;
        }
        const id = insertLesson(db, {
          project: args.projectPath,
          key,
          runId: args.runId,
          pattern: args.pattern,
          text,
          keywords: mergeKeywords('', op.keywords),
          prompt: args.prompt,
        });
        touched.add(id);
        out.added.push(id);
      } else if (op.op === 'edit') {
        const l = ofProject(op.id);
        const text = cleanText(op.text);
        if (!l || !text || touched.has(l.id)) {
          out.ignored++;
          continue;
        }
        updateLessonText(db, l.id, text, mergeKeywords(l.keywords, op.keywords));
        if (args.runId) addLessonSource(db, l.id, args.runId, 'edit');
        touched.add(l.id);
        out.edited.push(l.id);
      } else {
        const l = ofProject(op.id);
        if (!l || !vote(l, op.op, op.keywords)) {
          out.ignored++;
          continue;
        }
        (op.op === 'reinforce' ? out.reinforced : out.weakened).push(l.id);
      }
    }
    if (args.runId) applyVerdict(db, args.runId);
  });
  return out;
}

/** The project's lesson most like `text`, if it is a near-duplicate. */
export function nearDuplicate(lessons: readonly LessonRow[], text: string): LessonRow | undefined {
  let best: LessonRow | undefined;
  let bestScore = NEAR_DUPLICATE;
  for (const l of lessons) {
    const s = similarity(l.text, text);
    if (s >= bestScore) [best, bestScore] = [l, s];
  }
  return best;
}

/**
 * Stores lessons as plain adds (a caller with texts rather than operations: tests, imports).
 * Near-duplicates of a known lesson reinforce it instead.
 */
export function addLessons(
  db: Db,
  projectPath: string,
  runId: string,
  pattern: string | null,
  texts: readonly string[],
  opts: { prompt?: string; keywords?: string[] } = {},
): { added: number[]; reinforced: number[] } {
  const r = applyLessonOps(db, {
    projectPath,
    runId,
    pattern,
    prompt: opts.prompt ?? '',
    ops: texts.map((text) => ({ op: 'add' as const, text, keywords: opts.keywords })),
  });
  return { added: r.added, reinforced: r.reinforced };
}

/** The lessons of `projectPath` related to `text`, best first (general ones excluded), at most k. */
export function relevantLessons(db: Db, projectPath: string, text: string, k = 5, context?: string): ShownLesson[] {
  return rankLessons(db, resolveProject(db, projectPath).key, text, { context })
    .filter((l) => l.related)
    .slice(0, k);
}

/**
 * Words of lessons and requests as retrieval compares them: lower case, stop words out, Porter
 * stems, and a small table of words that users and analyses use for the same thing in a code
 * repository (offline: no embeddings). Also the similarity that tells a near-duplicate lesson.
 */
import { stemmer } from 'stemmer';

const STOPWORDS = new Set(
  (
    'a about above after again all also am an and any are as at be because been before being below between both but by can could did do does doing done ' +
    'down during each few for from further get gets got had has have having he her here hers him his how i if in into is it its itself just let lets ' +
    'me more most my no nor not now of off on once only or other our ours out over own please same she should so some such than that the their them ' +
    'then there these they this those through to too under until up us very via was we were what when where which while who whom why will with would ' +
    'you your yours make made like need needs want wants thing things way one ones also again really'
  ).split(' '),
);

/**
 * Groups of words meaning the same thing in requests about code. Each word maps to the group's
 * first stem, so "flaky", "intermittent" and "sporadic" become one term. Kept small and general:
 * it is measured by `npm run bench -- learning`, and a wrong group costs precision.
 */
const SYNONYM_GROUPS: readonly string[] = [
  'test tests testing spec specs unittest unittests suite',
  'flaky intermittent sporadic nondeterministic unstable random randomly sometimes',
  'fail fails failing failure failed break breaks broken breaking crash crashes crashing error errors',
  'bug bugs defect issue fix fixes fixing repair',
  'rename renaming renamed identifier',
  'refactor refactoring restructure reorganize reorganise cleanup tidy',
  'doc docs documentation readme documented document',
  'dependency dependencies package packages library libraries dep deps module modules',
  'upgrade upgrading bump update updating',
  'slow slowness performance perf latency speed faster speedup sluggish',
  'database db sql sqlite postgres schema table tables',
  'migration migrations migrate',
  'style styling css stylesheet',
  'lint linter linting eslint prettier format formatting formatter',
  'type types typing typed typescript tsc typecheck',
  'build builds compile compiles compiling compilation bundle bundler webpack vite',
  'deploy deployment release releases ship publish',
  'config configuration configure settings setting options env environment',
  'log logs logging logger',
  'endpoint endpoints route routes api handler handlers',
  'auth authentication login signin session credentials password',
  'ui frontend component components view views page pages',
  'question questions explain explanation understand overview',
  'search find locate lookup grep',
  'delete remove drop',
  'add create introduce implement',
  'many multiple several lots bulk',
  'translation translations i18n locale locales localization localisation language',
  'currency currencies money price prices exchange',
  'date dates time timezone timezones calendar',
  'ci pipeline workflow workflows actions',
  'secret secrets token tokens key keys credential',
  'cache caching cached memoize memoization',
  'parallel concurrent concurrently simultaneous independent',
  'review reviewer reviewing approve approval',
  'plan planner steps multistep',
  'ambiguous unclear vague clarify',
  'snapshot snapshots golden fixture fixtures',
  'memory leak leaks oom',
  'script scripts command commands cli',
  'image images picture pictures icon icons asset assets',
  'email emails mail mails notification notifications',
  'user users customer customers account accounts',
  'file files',
  'big large huge',
];

const synonyms = new Map<string, string>();
for (const group of SYNONYM_GROUPS) {
  const words = group.split(' ');
  const head = stemmer(words[0]!);
  for (const w of words) if (!synonyms.has(stemmer(w))) synonyms.set(stemmer(w), head);
}

/** Content words of `text`, stemmed: what lessons are matched on. */
export function stems(text: string): string[] {
  const out: string[] = [];
  for (const [word] of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    if (word.length < 2 || STOPWORDS.has(word)) continue;
    out.push(stemmer(word));
  }
  return out;
}

/** A stem as retrieval indexes it: its synonym group's head when it has one. */
export function canonical(stem: string): string {
  return synonyms.get(stem) ?? stem;
}

/** Terms of `text` for the index: stems, with synonyms folded (`expand` false keeps plain stems, for measuring). */
export function terms(text: string, expand = true): string[] {
  const s = stems(text);
  return expand ? s.map(canonical) : s;
}

/**
 * How alike two lessons are, 0..1: the larger of the Jaccard similarity of their stem sets and of
 * their character trigram sets (the second catches rewordings that keep the words but not their order or form).
 */
export function similarity(a: string, b: string): number {
  return Math.max(jaccard(new Set(stems(a)), new Set(stems(b))), jaccard(trigrams(a), trigrams(b)));
}

function trigrams(text: string): Set<string> {
  const s = ` ${stems(text).join(' ')} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return out;
}

function jaccard<T>(a: Set<T>, b: Set<T>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Rough token count of text sent to the model (about four characters a token). */
export const tokensOf = (text: string): number => Math.ceil(text.length / 4);

import { basename } from 'node:path';
import type { Db } from '../../store/db.js';
import { shortRunIds } from '../../store/views/history.js';
import { searchText, type SearchHit } from '../../store/views/search.js';
import { escapesOf } from '../theme.js';
import { formatAge, makeStyle, table, type ViewOptions } from './format.js';

export interface SearchOptions extends ViewOptions {
  allProjects?: boolean | undefined;
  limit?: number | undefined;
}

// Control characters cannot occur in the indexed text's snippets by accident, and take one column like a bracket.
const OPEN = '\x01';
const CLOSE = '\x02';

/** Replaces the match markers, closing a highlight that the cut to width left open. */
function highlight(text: string, open: string, close: string): string {
  let inside = false;
  const out = text.replace(/[\x01\x02]/g, (m) => {
    inside = m === OPEN;
    return inside ? open : close;
  });
  return inside ? out + close : out;
}

function hits(db: Db, project: string, text: string, opts: SearchOptions): SearchHit[] {
  return searchText(db, text, { project: opts.allProjects ? undefined : project, limit: opts.limit ?? 20, open: OPEN, close: CLOSE });
}

/** Ranked matches in prompts, decision reasoning, analyses and lessons; matches in `[` `]`, or bold on a terminal. */
export function renderSearch(db: Db, project: string, text: string, opts: SearchOptions = {}): string {
  const found = hits(db, project, text, opts);
  if (!found.length) return `no matches for "${text}"${opts.allProjects ? '' : ' in this project (try --all-projects)'}`;
  const style = makeStyle(opts.color);
  const [open, close] = opts.color ? escapesOf((s) => style.bold(style.warn(s))) : ['[', ']'];
  const short = shortRunIds(
    db,
    found.flatMap((h) => (h.runId ? [h.runId] : [])),
  );
  return table(
    [{ header: 'RUN' }, { header: 'AGE', align: 'right' }, { header: 'FOUND IN' }],
    found.map((h) => ({
      cells: [
        h.runId ? short.get(h.runId)! : '-',
        h.startedAt === null ? '-' : formatAge(h.startedAt, opts.now),
        h.kind === 'lesson' ? `lesson #${h.lessonId}` : h.kind,
      ],
      wide: opts.allProjects ? `${basename(h.project)}: ${h.snippet}` : h.snippet,
      wideStyle: (s: string) => highlight(s, open, close),
    })),
    { width: opts.width ?? 80, style, wideHeader: 'MATCH', minWide: 60 },
  );
}

/** `--json`: best match first; `snippet` marks matches with `[` and `]`; lower `score` (bm25) is better. */
export function searchJson(db: Db, project: string, text: string, opts: SearchOptions) {
  return hits(db, project, text, opts).map((h) => ({
    ...h,
    snippet: highlight(h.snippet, '[', ']'),
    startedAt: h.startedAt === null ? null : new Date(h.startedAt).toISOString(),
  }));
}

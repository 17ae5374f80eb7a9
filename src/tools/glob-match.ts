import { fail } from './define.js';

const MAX_ALTERNATIVES = 256;

/** `a{b,c}d` → [`abd`, `acd`], nested braces included; `{x}` without a comma stays literal. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{' && depth++ === 0) start = i;
    else if (c === '}' && depth > 0 && --depth === 0) {
      const parts = splitTopLevelCommas(pattern.slice(start + 1, i));
      if (parts.length < 2) continue;
      const head = pattern.slice(0, start);
      const tail = pattern.slice(i + 1);
      const out = parts.flatMap((part) => expandBraces(head + part + tail));
      if (out.length > MAX_ALTERNATIVES) fail(`glob ${pattern} expands to more than ${MAX_ALTERNATIVES} alternatives; simplify it`);
      return out;
    }
  }
  return [pattern];
}

function splitTopLevelCommas(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(s.slice(from));
  return parts;
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** One path segment: `*` and `?` never cross `/`; `[...]` / `[!...]` are character classes. */
function segmentSource(seg: string): string {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\' && i + 1 < seg.length) re += escapeRe(seg[++i]!);
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[' && seg.indexOf(']', i + 2) > 0) {
      const end = seg.indexOf(']', i + 2);
      const body = seg.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      re += `[${negate ? '^' : ''}${(negate ? body.slice(1) : body).replace(/[\\\][^]/g, '\\$&')}]`;
      i = end;
    } else re += escapeRe(c);
  }
  return re;
}

/** Regex source for a brace-free glob; `**` as a whole segment matches any number of directories. */
export function globSource(glob: string): string {
  const segs = glob.split('/');
  return segs
    .map((seg, i) => {
      const last = i === segs.length - 1;
      if (seg === '**') return last ? '.*' : '(?:[^/]*/)*';
      return segmentSource(seg) + (last ? '' : '/');
    })
    .join('');
}

/** Matches whole '/'-separated relative paths against a glob (`**`, `*`, `?`, `{a,b}`, `[ab]`). */
export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${expandBraces(pattern).map(globSource).join('|')})$`);
}

/**
 * ripgrep's `--glob` convention: a pattern without `/` matches the file name at any depth,
 * one with `/` matches the path relative to the search directory.
 */
export function fileFilter(pattern: string): (relPath: string) => boolean {
  const re = globToRegExp(pattern.replace(/^\.\//, ''));
  if (pattern.includes('/')) return (p) => re.test(p);
  return (p) => re.test(p.slice(p.lastIndexOf('/') + 1));
}

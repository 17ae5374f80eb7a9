/**
 * Where a streaming markdown answer can be cut: the text before the cut is made of complete
 * top-level blocks (rendered now), the rest stays plain until it completes. A line scanner, not the
 * markdown lexer, so the session's reducer can call it on every batch without loading `marked`.
 */

export interface StreamCut {
  /** Complete blocks, ready to render. */
  done: string;
  /** What stays live (plain) until its block is complete. */
  rest: string;
}

export interface CutLimits {
  /** Complete lines kept live before lines are committed anyway, where that cannot break a block. */
  liveLines: number;
  /** Lines of an open code fence kept live before the fence is closed and reopened at a line break. */
  fenceLines: number;
  /** Characters kept live before everything is committed (a line without end, a huge table). */
  maxChars: number;
}

interface Fence {
  marker: string;
  /** The opening line, repeated when a long block is cut in two. */
  opener: string;
  lines: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/**
 * The cut point of `buf`, or undefined to keep it all live: after the last blank line outside a
 * code fence; else, when more than `liveLines` complete lines wait,
 * after the last complete line if that splits no table or fence; a fence longer than `fenceLines`
 * is cut with a closing fence and reopened in the rest, so both halves stay code.
 */
export function cutStream(buf: string, limits: CutLimits): StreamCut | undefined {
  const lastNl = buf.lastIndexOf('\n');
  if (lastNl < 0) return buf.length > limits.maxChars ? { done: buf, rest: '' } : undefined;
  let fence: Fence | undefined;
  let boundary = -1; // index just after the last complete block
  let lines = 0;
  let table = false;
  for (let start = 0; start <= lastNl; ) {
    const end = buf.indexOf('\n', start);
    const line = buf.slice(start, end);
    const next = end + 1;
    if (fence) {
      fence.lines++;
      // The block after a fence starts at the next blank line, which keeps the gap after the code.
      if (isClosing(line, fence.marker)) {
        fence = undefined;
        lines = 0;
      }
    } else {
      const open = FENCE.exec(line);
      if (open) fence = { marker: open[1]!, opener: line, lines: 0 };
      else if (line.trim() === '') {
        boundary = next;
        lines = 0;
        table = false;
      } else {
        lines++;
        if (TABLE_DELIMITER.test(line) && line.includes('-') && (line.includes('|') || table)) table = true;
      }
    }
    start = next;
  }
  const complete = lastNl + 1;
  if (buf.length - complete > limits.maxChars) {
    // A line that does not end: all of it goes, a fence it is in closed and reopened.
    return fence ? { done: `${buf}\n${fence.marker}\n`, rest: `${fence.opener}\n` } : { done: buf, rest: '' };
  }
  if (fence) {
    if (fence.lines > limits.fenceLines || buf.length > limits.maxChars) {
      return { done: `${buf.slice(0, complete)}${fence.marker}\n`, rest: `${fence.opener}\n${buf.slice(complete)}` };
    }
    return boundary > 0 ? { done: buf.slice(0, boundary), rest: buf.slice(boundary) } : undefined;
  }
  if (boundary === complete) return { done: buf.slice(0, boundary), rest: buf.slice(boundary) };
  const safe = !table && lines > limits.liveLines;
  if (safe || buf.length > limits.maxChars) return { done: buf.slice(0, complete), rest: buf.slice(complete) };
  return boundary > 0 ? { done: buf.slice(0, boundary), rest: buf.slice(boundary) } : undefined;
}

function isClosing(line: string, marker: string): boolean {
  const t = line.trim();
  return t.length >= marker.length && t[0] === marker[0] && /^(`+|~+)$/.test(t) && line.search(/\S/) <= 3;
}

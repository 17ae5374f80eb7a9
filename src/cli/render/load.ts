/**
 * Loads the markdown renderer (marked, highlight.js) on first use: `--version`, the review
 * commands and piped print mode never pay for it, and the session loads it after its first frame.
 */
import type { Line } from './styled.js';

export interface MarkdownRenderer {
  /** `text` laid out for `width` columns; colours per `colors` (NO_COLOR turns them off). */
  render(text: string, width: number, colors: boolean): Line[];
}

let loaded: MarkdownRenderer | undefined;
let loading: Promise<MarkdownRenderer> | undefined;

export function loadMarkdown(): Promise<MarkdownRenderer> {
  loading ??= Promise.all([import('./markdown.js'), import('./highlight.js').then((h) => h.loadHighlighter())]).then(([{ renderMarkdown }, highlight]) => {
    loaded = { render: (text, width, colors) => renderMarkdown(text, { width, colors, highlight }) };
    return loaded;
  });
  return loading;
}

/** The renderer if it has loaded, else undefined (the caller shows plain text). */
export function markdownRenderer(): MarkdownRenderer | undefined {
  return loaded;
}

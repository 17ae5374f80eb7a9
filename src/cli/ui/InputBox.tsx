import { memo, useLayoutEffect, useRef } from 'react';
import { Box, Text } from 'ink';
import { completeSlash, matchingCommands } from './commands.js';
import { edit, emptyEditor, HistoryCursor, position, verticalMove, type EditorState } from './editor.js';
import type { KeyPress } from './keys.js';
import { useKeys, useLatest } from './use-keys.js';

/** Lines of the prompt shown at once; a long paste scrolls with the cursor. */
const VISIBLE_LINES = 10;

export interface InputBoxProps {
  /** Returns false when the text cannot be sent now (it stays in the editor). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a submit handler may return nothing (accept) or false (keep the text)
  onSubmit(text: string): boolean | void;
  /** Ctrl-C; returns 'clear' when the typed text should go. */
  onInterrupt?(promptEmpty: boolean): string;
  /** Ctrl-D at an empty prompt. */
  onExit?(): void;
  history?: () => readonly string[];
  active?: boolean;
  prompt?: string;
  placeholder?: string;
  /** Complete slash commands with Tab and list them while typing one. */
  slashCommands?: boolean;
  /** Text handed back to the editor (put before what is typed); a new `seq` hands it back again. */
  recall?: { text: string; seq: number } | undefined;
  /** ↑ at an empty prompt: a queued prompt to edit, before the history is walked. */
  onRecallQueued?(): string | undefined;
}

/**
 * The prompt editor: Enter sends, Ctrl-J or Alt-Enter inserts a newline, ↑/↓ move between lines
 * and, on the first/last line, walk the prompt history; a paste is inserted whole.
 */
export const InputBox = memo(function InputBox({
  onSubmit,
  onInterrupt,
  onExit,
  history,
  active = true,
  prompt = '> ',
  placeholder,
  slashCommands = false,
  recall,
  onRecallQueued,
}: InputBoxProps) {
  const [editor, set] = useLatest<EditorState>(emptyEditor);
  const walk = useRef<HistoryCursor | undefined>(undefined);
  const recalled = useRef(recall?.seq ?? 0);
  useLayoutEffect(() => {
    if (!recall || recall.seq === recalled.current) return;
    recalled.current = recall.seq;
    const draft = editor().text;
    const text = draft ? `${recall.text}\n${draft}` : recall.text;
    set({ text, cursor: text.length });
  }, [recall, editor, set]);

  useKeys((key: KeyPress) => {
    const s = editor();
    switch (key.name) {
      case 'return':
        if (!s.text.trim() || onSubmit(s.text) === false) return;
        walk.current = undefined;
        set(emptyEditor);
        return;
      case 'tab': {
        const completed = slashCommands ? completeSlash(s.text) : undefined;
        if (completed) set({ text: completed, cursor: completed.length });
        return;
      }
      case 'up':
      case 'down': {
        const dir = key.name === 'up' ? -1 : 1;
        const queued = dir < 0 && s.text === '' ? onRecallQueued?.() : undefined;
        if (queued !== undefined) return set({ text: queued, cursor: queued.length });
        const moved = verticalMove(s, dir);
        if (moved) return set(moved);
        walk.current ??= new HistoryCursor(history?.() ?? []);
        const text = walk.current.move(dir, s.text);
        if (text !== undefined) set({ text, cursor: text.length });
        return;
      }
      case 'ctrlC':
        if (onInterrupt?.(s.text === '') === 'clear') set(emptyEditor);
        return;
      case 'ctrlD':
        if (s.text === '') onExit?.();
        return;
      default: {
        const next = edit(s, key);
        if (next) set(next);
      }
    }
  }, active);

  const { text, cursor } = editor();
  const { line: cursorLine, starts } = position(editor());
  const lines = text.split('\n');
  const first = Math.max(0, Math.min(cursorLine - VISIBLE_LINES + 1, lines.length - VISIBLE_LINES));
  const shown = lines.slice(first, first + VISIBLE_LINES);
  const matches = slashCommands ? matchingCommands(text) : [];
  const pad = ' '.repeat(prompt.length);
  return (
    <Box flexDirection="column">
      {first > 0 ? (
        <Text dimColor>
          {pad}… {first} lines above
        </Text>
      ) : null}
      {shown.map((content, i) => {
        const n = first + i;
        const lead = n === 0 ? prompt : pad;
        if (n !== cursorLine || !active) {
          return (
            <Text key={n}>
              {lead}
              {content || (n === 0 && !text && placeholder ? <Text dimColor>{placeholder}</Text> : '')}
            </Text>
          );
        }
        const col = cursor - starts[n]!;
        return (
          <Text key={n}>
            {lead}
            {content.slice(0, col)}
            <Text inverse>{content[col] ?? ' '}</Text>
            {content.slice(col + 1)}
            {!text && placeholder ? <Text dimColor>{placeholder}</Text> : null}
          </Text>
        );
      })}
      {first + VISIBLE_LINES < lines.length ? (
        <Text dimColor>
          {pad}… {lines.length - first - VISIBLE_LINES} lines below
        </Text>
      ) : null}
      {matches.length && active ? (
        <Box flexDirection="column">
          {matches.slice(0, 11).map((c) => (
            <Text key={c.name} dimColor wrap="truncate-end">
              {pad}/{`${c.name}${c.args ? ` ${c.args}` : ''}`.padEnd(22)} {c.help}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
});

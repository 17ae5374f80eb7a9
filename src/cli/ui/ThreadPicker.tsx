import { Box, Text } from 'ink';
import { formatAgo, plural } from './format.js';
import type { ThreadChoice } from './state.js';
import { color } from './theme.js';
import { useKeys, useLatest } from './use-keys.js';

const VISIBLE = 10;

/** `baton -r` without an id: pick a thread of this project (↑/↓, Enter; Esc leaves). */
export function ThreadPicker({ threads, onPick, now = Date.now() }: { threads: ThreadChoice[]; onPick(id: string | undefined): void; now?: number }) {
  const [selected, select] = useLatest(0);
  useKeys((key) => {
    if (key.name === 'up') select(Math.max(0, selected() - 1));
    else if (key.name === 'down') select(Math.min(threads.length - 1, selected() + 1));
    else if (key.name === 'return') onPick(threads[selected()]!.id);
    else if (key.name === 'escape' || key.name === 'ctrlC') onPick(undefined);
  });
  const first = Math.max(0, Math.min(selected() - VISIBLE + 1, threads.length - VISIBLE));
  return (
    <Box flexDirection="column">
      <Text bold>Resume a thread (↑/↓, Enter; Esc leaves)</Text>
      {threads.slice(first, first + VISIBLE).map((t, i) => {
        const on = first + i === selected();
        return (
          <Text key={t.id} color={on ? color('accent') : undefined} bold={on} wrap="truncate-end">
            {on ? '❯ ' : '  '}
            {t.title || '(untitled)'}{' '}
            <Text dimColor>
              · {plural(t.runs, 'run')} · {formatAgo(t.updatedAt, now)} · {t.id}
            </Text>
          </Text>
        );
      })}
    </Box>
  );
}

import { memo, useLayoutEffect } from 'react';
import { Box, Static, Text } from 'ink';
import { formatCost, formatDuration, formatTokens, oneLine } from './format.js';
import { Markdown } from './Markdown.js';
import type { Item } from './state.js';
import { color } from './theme.js';

/** Printed items are dropped from the state once this many are on screen (<Static> never re-prints them). */
export const PRINTED_TRIM_AT = 50;

/**
 * Finished items, printed once above the live area through ink's <Static>. After the screen has
 * them, `onPrinted` lets the store forget them; the new epoch remounts <Static> with what is left.
 */
export function Transcript({ items, epoch, width = 80, onPrinted }: { items: Item[]; epoch: number; width?: number; onPrinted?: (count: number) => void }) {
  useLayoutEffect(() => {
    // Runs after <Static> wrote these items (ink renders static output during the commit).
    if (onPrinted && items.length >= PRINTED_TRIM_AT) onPrinted(items.length);
  }, [items, onPrinted]);
  return (
    <Static key={epoch} items={items}>
      {(item) => <ItemView key={item.id} item={item} width={width} />}
    </Static>
  );
}

const ItemView = memo(function ItemView({ item, width }: { item: Item; width: number }) {
  switch (item.kind) {
    case 'user':
      return (
        <Box marginTop={1}>
          <Text bold>{prefixLines(item.text, '> ', '  ')}</Text>
        </Box>
      );
    case 'header': {
      const mark = item.decision === 'revision' ? '↻ revised →' : '◆';
      return (
        <Text wrap="truncate-end">
          <Text color={color('accent')} bold>
            {mark} {item.pattern}
          </Text>
          <Text dimColor> — {item.reason}</Text>
        </Text>
      );
    }
    case 'text':
      return (
        <Box flexDirection="column">
          {item.label ? <Text dimColor>{item.label}:</Text> : null}
          <Markdown text={item.text} width={width} />
        </Box>
      );
    case 'tool':
      return (
        <Text wrap="truncate-end">
          <Text color={color(item.isError ? 'error' : 'ok')}>{item.isError ? '  ✗ ' : '  ✓ '}</Text>
          <Text bold>{item.name}</Text>
          {item.detail ? <Text> {item.detail}</Text> : null}
          {item.summary ? (
            <Text dimColor={!/[+-]\d/.test(item.summary)}>
              {' · '}
              <Summary text={item.summary} />
            </Text>
          ) : null}
        </Text>
      );
    case 'qa':
      return (
        <Box flexDirection="column">
          <Text color={color('accent')}>? {item.question}</Text>
          <Text>{prefixLines(item.answer, '→ ', '  ')}</Text>
        </Box>
      );
    case 'answer':
      return <Markdown text={item.text} width={width} />;
    case 'thinking': {
      const lines = item.text.split('\n').filter((l) => l.trim()).length;
      return (
        <Text dimColor italic wrap="truncate-end">
          ✻ thought{lines > 1 ? ` (${lines} lines)` : ''}: {oneLine(item.text, width)}
        </Text>
      );
    }
    case 'run-end':
      return <RunEnd item={item} />;
    case 'notice': {
      const tone = item.level === 'error' ? color('error') : item.level === 'warn' ? color('warn') : undefined;
      const mark = item.level === 'error' ? '✗' : item.level === 'warn' ? '!' : '·';
      return (
        <Text color={tone} dimColor={item.level === 'info'}>
          {mark} {item.text}
        </Text>
      );
    }
    case 'output':
      return <Text>{item.text}</Text>;
  }
});

function RunEnd({ item }: { item: Extract<Item, { kind: 'run-end' }> }) {
  const facts = `${formatDuration(item.durationMs)} · ${formatTokens(item.tokens)} tokens · ${formatCost(item.costUsd)}`;
  switch (item.status) {
    case 'completed':
      return <Text dimColor>✓ done · {facts}</Text>;
    case 'cancelled':
      return <Text color={color('warn')}>⊘ cancelled · {facts}</Text>;
    case 'waiting_user':
      return <Text color={color('warn')}>… waiting for your answer</Text>;
    default:
      return (
        <Text color={color('error')}>
          ✗ {item.status}
          {item.error ? `: ${item.error}` : ''} · {facts}
        </Text>
      );
  }
}

/** A tool summary with its "+3 -1" counts coloured like a diff. */
function Summary({ text }: { text: string }) {
  return (
    <>
      {text.split(/(\+\d+|-\d+)/).map((part, i) =>
        /^\+\d+$/.test(part) ? (
          <Text key={i} color={color('added')}>
            {part}
          </Text>
        ) : /^-\d+$/.test(part) ? (
          <Text key={i} color={color('removed')}>
            {part}
          </Text>
        ) : (
          part
        ),
      )}
    </>
  );
}

function prefixLines(text: string, first: string, rest: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? first : rest) + line)
    .join('\n');
}

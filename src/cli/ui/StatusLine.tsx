import { memo } from 'react';
import { Text } from 'ink';
import type { Usage } from '../../core/usage.js';
import type { PermissionMode } from '../../core/run.js';
import { statusParts } from './format.js';
import { color, type ColorName } from './theme.js';

const modeTone: Partial<Record<PermissionMode, ColorName>> = { bypass: 'error', 'accept-edits': 'warn', 'read-only': 'accent' };

/** model · permission mode · session tokens · cost · cache-read share, and the hint of the moment. */
export const StatusLine = memo(function StatusLine({
  model,
  mode,
  usage,
  costUsd,
  hint,
}: {
  model: string;
  mode: PermissionMode;
  usage: Usage;
  costUsd: number;
  hint?: string | undefined;
}) {
  const [before, shownMode, after] = statusParts(model, mode, usage, costUsd);
  return (
    <Text dimColor={!hint} wrap="truncate-end">
      {hint ? (
        <Text color={color('warn')}>{hint}</Text>
      ) : (
        <>
          {before}
          <Text color={modeTone[mode] && color(modeTone[mode])}>{shownMode}</Text>
          {after}
        </>
      )}
    </Text>
  );
});

import { memo } from 'react';
import { Text } from 'ink';
import type { Usage } from '../../llm/usage.js';
import type { PermissionMode } from '../../orchestrator/types.js';
import { cacheShare, formatCost, formatTokens } from './format.js';
import { color, type ColorName } from './theme.js';

const modeTone: Partial<Record<PermissionMode, ColorName>> = { bypass: 'error', 'accept-edits': 'warn', 'read-only': 'accent' };

/** model · permission mode · session tokens · cost · cache-read share, and the hint of the moment. */
export const StatusLine = memo(function StatusLine({ model, mode, usage, costUsd, hint }: { model: string; mode: PermissionMode; usage: Usage; costUsd: number; hint?: string | undefined }) {
  const tokens = usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return (
    <Text dimColor={!hint} wrap="truncate-end">
      {hint ? (
        <Text color={color('warn')}>{hint}</Text>
      ) : (
        <>
          {model} · <Text color={modeTone[mode] && color(modeTone[mode])}>{mode}</Text> (shift-tab) · {formatTokens(tokens)} tokens · {formatCost(costUsd)} · cache {cacheShare(usage)}%
        </>
      )}
    </Text>
  );
});

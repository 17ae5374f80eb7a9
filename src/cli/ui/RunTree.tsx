import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { formatCost, formatTokens, oneLine, plural } from './format.js';
import { agentName, type AgentTrace, type RunTrace, type ToolTrace } from './state.js';
import { color, type ColorName } from './theme.js';

const MARK: Partial<Record<AgentTrace['status'], [string, ColorName]>> = {
  completed: ['✓', 'ok'],
  failed: ['✗', 'error'],
  cancelled: ['⊘', 'warn'],
};

/** role/label · turns · tokens · cost · tool calls, the facts of an agent's folded line. */
export function agentFacts(a: AgentTrace): string {
  const errors = a.tools.filter((t) => t.isError).length;
  const calls = a.tools.length + a.dropped;
  const tools = calls ? ` · ${plural(calls, 'tool call')}${errors ? ` (${errors} failed)` : ''}` : '';
  return `${plural(a.turns, 'turn')} · ${formatTokens(a.tokens)} tokens · ${formatCost(a.costUsd)}${tools}`;
}

/** A finished agent in one line: mark, name, turns, tokens, cost, and the first line of its result. */
export function AgentLine({ agent, indent = '  ' }: { agent: AgentTrace; indent?: string }) {
  const [mark, tone] = MARK[agent.status] ?? ['•', 'accent'];
  return (
    <Text wrap="truncate-end">
      {indent}
      <Text color={color(tone)}>{mark} </Text>
      <Text bold>{agentName(agent, agent.role)}</Text>
      <Text dimColor> · {agentFacts(agent)}</Text>
      {agent.result ? <Text color={agent.status === 'failed' ? color('error') : undefined}> — {agent.result}</Text> : null}
    </Text>
  );
}

function ToolLine({ tool, indent }: { tool: ToolTrace; indent: string }) {
  const [mark, tone]: [string, ColorName] = !tool.done ? ['…', 'warn'] : tool.isError ? ['✗', 'error'] : ['✓', 'ok'];
  return (
    <Text wrap="truncate-end">
      {indent}
      <Text color={color(tone)}>{mark} </Text>
      {oneLine(tool.title, 200)}
      {tool.summary ? <Text dimColor> · {oneLine(tool.summary, 100)}</Text> : null}
    </Text>
  );
}

/** Lines the unfolded trace takes at most, so ink's live region stays within the screen. */
export function traceLimit(rows: number): number {
  return Math.max(8, rows - 10);
}

/**
 * Ctrl-O: the last run unfolded, pattern → every agent (its folded line) → each of its tool calls.
 * Cut to `maxLines`; `baton show <run>` has the whole record.
 */
export function TracePanel({ trace, maxLines }: { trace: RunTrace; maxLines: number }) {
  const rows: ReactNode[] = [];
  trace.agents.forEach((a, i) => {
    const last = i === trace.agents.length - 1;
    rows.push(<AgentLine key={a.id} agent={a} indent={last ? '└─ ' : '├─ '} />);
    const inner = last ? '     ' : '│    ';
    if (a.dropped) rows.push(<Text key={`${a.id}-dropped`} dimColor>{`${inner}… ${plural(a.dropped, 'earlier call')}`}</Text>);
    for (const t of a.tools) rows.push(<ToolLine key={t.id} tool={t} indent={inner} />);
  });
  const shown = rows.slice(0, maxLines);
  const more = rows.length - shown.length;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        <Text color={color('accent')} bold>
          ▾ {trace.pattern ?? 'run'}
        </Text>
        <Text dimColor>
          {' '}
          run {trace.runId} · {plural(trace.agents.length, 'agent')} (ctrl-o folds)
        </Text>
      </Text>
      {trace.agents.length === 0 ? <Text dimColor> no agent ran</Text> : shown}
      {more > 0 ? (
        <Text dimColor>
          {' '}
          … {more} more lines (baton show {trace.runId})
        </Text>
      ) : null}
    </Box>
  );
}

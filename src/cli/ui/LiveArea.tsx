import { memo, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { tailLines } from './format.js';
import { agentName, LIVE_LINES, type LiveRun, type Phase } from './state.js';
import { color } from './theme.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Agents listed one per line; more are counted. */
const MAX_AGENT_LINES = 4;

function useSpinner(): string {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), 120);
    return () => clearInterval(timer);
  }, []);
  return FRAMES[frame]!;
}

/**
 * The small area under the transcript while something runs: the tail of the text being streamed,
 * the active agents (pattern, role, what each is doing) and a spinner.
 */
export const LiveArea = memo(function LiveArea({ live, phase, busy, columns }: { live: LiveRun | undefined; phase: Phase; busy: string | undefined; columns: number }) {
  const spinner = useSpinner();
  const stream = live?.streamAgent ? live.streams[live.streamAgent] : undefined;
  const tail = stream ? tailLines(stream, LIVE_LINES, columns - 1) : [];
  const thought = live?.thinkingAgent !== undefined ? lastLine(live.thinking[live.thinkingAgent] ?? '') : undefined;
  const agents = live?.agents ?? [];
  const pattern = live?.pattern;
  const status =
    phase === 'cancelling'
      ? 'cancelling…'
      : phase === 'busy'
        ? `${busy ?? 'working'}…`
        : agents.length > 0
          ? undefined
          : pattern
            ? `${pattern} · working…`
            : 'deciding how to run this…';
  return (
    <Box flexDirection="column" marginTop={1}>
      {thought !== undefined ? (
        <Text dimColor italic wrap="truncate-end">
          thinking… {thought}
        </Text>
      ) : null}
      {tail.length ? <Text>{tail.join('\n')}</Text> : null}
      {status ? (
        <Text wrap="truncate-end">
          <Text color={color('accent')}>{spinner}</Text> {status} <Text dimColor>(esc to cancel)</Text>
        </Text>
      ) : (
        agents.slice(0, MAX_AGENT_LINES).map((a, i) => (
          <Text key={a.id} wrap="truncate-end">
            {i === 0 ? <Text color={color('accent')}>{spinner} </Text> : '  '}
            {i === 0 && pattern ? <Text bold>{pattern} · </Text> : null}
            {agentName(a, a.role)}: {a.activity}
            {i === 0 ? <Text dimColor> (esc to cancel)</Text> : null}
          </Text>
        ))
      )}
      {!status && agents.length > MAX_AGENT_LINES ? <Text dimColor>  +{agents.length - MAX_AGENT_LINES} more agents</Text> : null}
    </Box>
  );
});

/** The last line with words in it (thinking streams as paragraphs; the newest one is shown). */
function lastLine(text: string): string {
  const [line] = tailLines(text.trimEnd(), 1, Number.MAX_SAFE_INTEGER);
  return (line ?? '').trim();
}

import { memo, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { formatTokens, plural, tailLines } from './format.js';
import { agentName, LIVE_LINES, type AgentView, type LiveRun, type Phase, type RunTrace } from './state.js';
import { color } from './theme.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Agents listed one per line; more are counted. */
const MAX_AGENT_LINES = 6;

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
 * and the run as a tree: the pattern, then each working agent (role or label) with the tool it is
 * running, its turn and its tokens. Finished agents leave the tree as one folded line in the
 * transcript; the header counts them.
 */
export const LiveArea = memo(function LiveArea({
  live,
  trace,
  phase,
  busy,
  columns,
}: {
  live: LiveRun | undefined;
  trace?: RunTrace | undefined;
  phase: Phase;
  busy: string | undefined;
  columns: number;
}) {
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
      ) : pattern === 'direct' && agents.length === 1 ? (
        <Text wrap="truncate-end">
          <Text color={color('accent')}>{spinner} </Text>
          <Text bold>{pattern} · </Text>
          <AgentDoing agent={agents[0]!} trace={trace} name={agents[0]!.role} />
          <Text dimColor> (esc to cancel)</Text>
        </Text>
      ) : (
        <Tree pattern={pattern} agents={agents} trace={trace} spinner={spinner} />
      )}
    </Box>
  );
});

/** pattern → the agents working now, parallel ones at once, each on its own branch. */
function Tree({ pattern, agents, trace, spinner }: { pattern: string | undefined; agents: AgentView[]; trace: RunTrace | undefined; spinner: string }) {
  const done = trace?.agents.filter((a) => a.status !== 'executing' && !agents.some((w) => w.id === a.id)).length ?? 0;
  const shown = agents.slice(0, MAX_AGENT_LINES);
  const hidden = agents.length - shown.length;
  return (
    <>
      <Text wrap="truncate-end">
        <Text color={color('accent')}>{spinner} </Text>
        <Text bold>{pattern ?? 'run'}</Text>
        <Text dimColor>
          {' '}
          · {agents.length} working{done ? ` · ${done} done` : ''} (esc to cancel)
        </Text>
      </Text>
      {shown.map((a, i) => (
        <Text key={a.id} wrap="truncate-end">
          <Text dimColor>{i === shown.length - 1 && !hidden ? '  └─ ' : '  ├─ '}</Text>
          <AgentDoing agent={a} trace={trace} />
        </Text>
      ))}
      {hidden > 0 ? <Text dimColor> └─ +{hidden} more agents</Text> : null}
    </>
  );
}

/** `worker#1 · explorer: grep TODO · 2 turns · 3.1k tokens`: who, what now, how far (model turns done). */
function AgentDoing({ agent, trace, name }: { agent: AgentView; trace: RunTrace | undefined; name?: string }) {
  const t = trace?.agents.find((a) => a.id === agent.id);
  const doing = agent.tool && agent.activity.startsWith('running ') ? agent.tool : agent.activity;
  return (
    <>
      {name ?? agentName(agent, agent.role)}: {doing}
      {t?.turns ? (
        <Text dimColor>
          {' '}
          · {plural(t.turns, 'turn')} · {formatTokens(t.tokens)} tokens
        </Text>
      ) : null}
    </>
  );
}

/** The last line with words in it (thinking streams as paragraphs; the newest one is shown). */
function lastLine(text: string): string {
  const [line] = tailLines(text.trimEnd(), 1, Number.MAX_SAFE_INTEGER);
  return (line ?? '').trim();
}

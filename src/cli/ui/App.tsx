import { useCallback, useLayoutEffect, useSyncExternalStore } from 'react';
import { Box, Text, useStdout } from 'ink';
import type { SessionController } from './controller.js';
import { InputBox } from './InputBox.js';
import { LiveArea } from './LiveArea.js';
import { PermissionPrompt } from './PermissionPrompt.js';
import { PROMPT_PLACEHOLDER } from './preframe.js';
import { QuestionPrompt } from './QuestionPrompt.js';
import { traceLimit, TracePanel } from './RunTree.js';
import { StatusLine } from './StatusLine.js';
import { oneLine } from './format.js';
import { ThreadPicker } from './ThreadPicker.js';
import { Transcript } from './Transcript.js';
import { useColumns, useKeys, useRows } from './use-keys.js';

const CLEAR_SCREEN = '\x1b[2J\x1b[3J\x1b[H';

/** The whole session screen: transcript, live area or prompt, status line. */
export function App({ controller }: { controller: SessionController }) {
  const state = useSyncExternalStore(controller.store.subscribe, controller.store.getState);
  const columns = useColumns();
  const rows = useRows();
  const { write } = useStdout();
  useLayoutEffect(() => {
    if (state.clears > 0) write(CLEAR_SCREEN);
  }, [state.clears, write]);

  const { phase, ask } = state;
  const working = phase === 'running' || phase === 'cancelling' || phase === 'busy';
  // The prompt stays editable during a run (a draft is never lost); it yields to a permission or question prompt.
  const typing = !ask && phase !== 'picking' && phase !== 'closed';
  // Keys that work whatever has the focus; the prompt handles Ctrl-C itself (it may clear text).
  useKeys((key) => {
    if (key.name === 'escape') controller.escape();
    else if (key.name === 'shiftTab') controller.cycleMode();
    else if (key.name === 'ctrlO') controller.store.dispatch({ type: 'ui.unfold' });
    else if (key.name === 'ctrlC' && !typing && phase !== 'picking') controller.interrupt(true);
  });

  const onPrinted = useCallback((count: number) => controller.store.dispatch({ type: 'ui.printed', count }), [controller]);
  const onSubmit = useCallback((text: string) => controller.trySubmit(text), [controller]);
  const onInterrupt = useCallback((empty: boolean) => controller.interrupt(empty), [controller]);
  const onExit = useCallback(() => controller.exit(), [controller]);
  const history = useCallback(() => controller.historyEntries(), [controller]);
  const onRecallQueued = useCallback(() => controller.takeLastQueued(), [controller]);

  // The same tree shape in every phase: a remounted <Static> would print the transcript again.
  const open = phase !== 'closed';
  return (
    <Box flexDirection="column" width={columns}>
      <Transcript items={state.items} epoch={state.epoch} width={columns} onPrinted={onPrinted} />
      {phase === 'picking' && state.threads ? <ThreadPicker threads={state.threads} onPick={(id) => void controller.pick(id)} /> : null}
      {open && state.unfolded && state.trace ? <TracePanel trace={state.trace} maxLines={traceLimit(rows)} /> : null}
      {working ? <LiveArea live={state.live} trace={state.trace} phase={phase} busy={state.busy} columns={columns} /> : null}
      {ask?.kind === 'permission' ? <PermissionPrompt key={ask.req.toolCallId} req={ask.req} onAnswer={(a) => controller.answerPermission(a)} /> : null}
      {ask?.kind === 'question' ? (
        <QuestionPrompt
          key={ask.req.questionId}
          req={ask.req}
          onAnswer={(a) => controller.answerQuestion(a)}
          note="Esc leaves the run waiting for a later answer"
        />
      ) : null}
      {open && phase !== 'picking' ? (
        <Box marginTop={1}>
          <InputBox
            onSubmit={onSubmit}
            onInterrupt={onInterrupt}
            onExit={onExit}
            history={history}
            active={typing}
            placeholder={PROMPT_PLACEHOLDER}
            slashCommands
            recall={state.recall}
            onRecallQueued={onRecallQueued}
          />
        </Box>
      ) : null}
      {open && state.queue.length ? <Queue queue={state.queue} width={columns} /> : null}
      {open ? <StatusLine model={state.model} mode={state.mode} usage={state.usage} costUsd={state.costUsd} hint={state.hint} /> : null}
    </Box>
  );
}

/** Prompts typed during the run, sent after it in order. */
function Queue({ queue, width }: { queue: string[]; width: number }) {
  return (
    <Box flexDirection="column">
      {queue.map((q, i) => (
        <Text key={i} dimColor wrap="truncate-end">
          {'  '}queued: {oneLine(q, width)}
        </Text>
      ))}
      <Text dimColor>{'  '}(↑ edits the last · esc cancels the run and returns them to the prompt)</Text>
    </Box>
  );
}

import { useState } from 'react';
import { Box, Text } from 'ink';
import type { QuestionRequest } from '../../core/run.js';
import { InputBox } from './InputBox.js';
import { color } from './theme.js';
import { useKeys, useLatest } from './use-keys.js';

const OTHER = 'Other (type an answer)';

/**
 * A question from the run (ask_user): its options as a list (↑/↓ and Enter, or the option's
 * number) plus "Other" for free text; free text directly when there are no options.
 */
export function QuestionPrompt({ req, onAnswer, note }: { req: QuestionRequest; onAnswer(answer: string): void; note?: string | undefined }) {
  const options = req.options ?? [];
  const [selected, select] = useLatest(0);
  const [typing, setTyping] = useState(options.length === 0);
  const choices = [...options, OTHER];
  const choose = (i: number) => (i === options.length ? setTyping(true) : onAnswer(options[i]!));
  useKeys((key) => {
    if (key.name === 'up') select((selected() + choices.length - 1) % choices.length);
    else if (key.name === 'down' || key.name === 'tab') select((selected() + 1) % choices.length);
    else if (key.name === 'return') choose(selected());
    else if (key.name === 'text' && /^[1-9]$/.test(key.text) && Number(key.text) <= choices.length) choose(Number(key.text) - 1);
  }, !typing);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('accent')} paddingX={1}>
      <Text bold wrap="wrap">
        ? {req.question}
      </Text>
      {typing ? (
        <InputBox onSubmit={(text) => onAnswer(text.trim())} prompt="→ " placeholder="type your answer, Enter sends" />
      ) : (
        choices.map((c, i) => (
          <Text key={c} color={i === selected() ? color('accent') : undefined} bold={i === selected()} wrap="truncate-end">
            {i === selected() ? '❯ ' : '  '}
            {i + 1}. {c}
          </Text>
        ))
      )}
      {note ? <Text dimColor>{note}</Text> : null}
    </Box>
  );
}

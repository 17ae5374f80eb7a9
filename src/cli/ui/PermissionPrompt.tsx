import { Box, Text } from 'ink';
import type { PermissionAnswer } from '../../core/events.js';
import type { PermissionRequest } from '../../core/run.js';
import { diffLineTone } from '../render/diff-lines.js';
import { color } from './theme.js';
import { useKeys, useLatest } from './use-keys.js';

const shortcuts: Record<string, PermissionAnswer> = { y: 'once', a: 'always', n: 'deny' };

/** Asks whether a write or exec tool may run: y once, a always for this project (a stored rule), n deny. */
export function PermissionPrompt({ req, onAnswer }: { req: PermissionRequest; onAnswer(answer: PermissionAnswer): void }) {
  const [selected, select] = useLatest(0);
  const choices: { answer: PermissionAnswer; label: string; key: string }[] = [
    { answer: 'once', label: 'Yes, once', key: 'y' },
    { answer: 'always', label: `Yes, always for this project (${req.rule})`, key: 'a' },
    { answer: 'deny', label: 'No (tell the model)', key: 'n' },
  ];
  useKeys((key) => {
    if (key.name === 'up') select((selected() + choices.length - 1) % choices.length);
    else if (key.name === 'down' || key.name === 'tab') select((selected() + 1) % choices.length);
    else if (key.name === 'return') onAnswer(choices[selected()]!.answer);
    else if (key.name === 'text' && shortcuts[key.text.toLowerCase()]) onAnswer(shortcuts[key.text.toLowerCase()]!);
  });
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('warn')} paddingX={1}>
      <Text bold>Allow {req.tool}?</Text>
      <Text wrap="wrap">{req.title}</Text>
      {req.preview && !req.title.includes(req.preview) ? <Preview text={req.preview} /> : null}
      {choices.map((c, i) => (
        <Text key={c.answer} color={i === selected() ? color('accent') : undefined} bold={i === selected()} wrap="truncate-end">
          {i === selected() ? '❯ ' : '  '}
          {c.label} <Text dimColor>({c.key})</Text>
        </Text>
      ))}
    </Box>
  );
}

const PREVIEW_LINES = 20;

/** What the call would do (a diff, the command), cut to a screenful: the whole of it is the tool's to tell. */
function Preview({ text }: { text: string }) {
  const lines = text.split('\n');
  const shown = lines.slice(0, PREVIEW_LINES);
  const more = lines.length - shown.length;
  return (
    <Box flexDirection="column" marginY={1}>
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end" color={diffColor(line)}>
          {line || ' '}
        </Text>
      ))}
      {more > 0 ? <Text dimColor>… {more} more lines</Text> : null}
    </Box>
  );
}

/** Added lines green, removed red, hunk headers cyan (the theme's tones); file headers and context plain. */
function diffColor(line: string): string | undefined {
  const tone = diffLineTone(line);
  return tone && color(tone);
}

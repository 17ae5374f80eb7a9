import { Fragment, memo } from 'react';
import { Text } from 'ink';
import { markdownRenderer } from '../render/load.js';
import type { Line } from '../render/styled.js';
import { colorsEnabled } from './theme.js';

/**
 * Markdown as ink text, laid out for `width` columns. Until the renderer has loaded (the session
 * loads it before a run's first words) the text shows as it came.
 */
export const Markdown = memo(function Markdown({ text, width }: { text: string; width: number }) {
  const renderer = markdownRenderer();
  if (!renderer) return <Text>{text}</Text>;
  return <StyledLines lines={renderer.render(text, width, colorsEnabled())} />;
});

/** Styled lines as one ink <Text> (nested <Text> per styled piece: no layout node per line). */
export function StyledLines({ lines }: { lines: Line[] }) {
  return (
    <Text>
      {lines.map((line, i) => (
        <Fragment key={i}>
          {i > 0 ? '\n' : null}
          {line.map((s, j) =>
            s.style ? (
              <Text
                key={j}
                bold={s.style.bold}
                dimColor={s.style.dim}
                italic={s.style.italic}
                underline={s.style.underline}
                strikethrough={s.style.strike}
                color={s.style.color}
              >
                {s.text}
              </Text>
            ) : (
              s.text
            ),
          )}
        </Fragment>
      ))}
    </Text>
  );
}

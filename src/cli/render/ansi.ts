/** Styled lines as a string with ANSI SGR codes, for print mode on a terminal. */
import type { Line, Style } from './styled.js';

const COLORS: Record<string, number> = { black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90, grey: 90 };

function open(style: Style): string {
  const codes: number[] = [];
  if (style.bold) codes.push(1);
  if (style.dim) codes.push(2);
  if (style.italic) codes.push(3);
  if (style.underline) codes.push(4);
  if (style.strike) codes.push(9);
  const color = style.color && COLORS[style.color];
  if (color) codes.push(color);
  return codes.length ? `\x1b[${codes.join(';')}m` : '';
}

/** Each styled piece opens its codes and resets after itself, so no style leaks into the next. */
export function linesToAnsi(lines: Line[]): string {
  return lines
    .map((line) =>
      line
        .map((s) => {
          const sgr = s.style ? open(s.style) : '';
          return sgr ? `${sgr}${s.text}\x1b[0m` : s.text;
        })
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

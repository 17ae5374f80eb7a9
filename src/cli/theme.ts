/**
 * The one palette of baton's terminal output. The session UI takes ink colour names from it
 * (`ui/theme.ts`), the review commands and print-mode text take ANSI styles (`makeStyle`); this
 * module loads nothing, so the review commands never pull in ink. NO_COLOR (https://no-color.org)
 * drops every colour; bold, dim and inverse are not colours and stay.
 */
export type Tone = 'accent' | 'ok' | 'error' | 'warn' | 'added' | 'removed' | 'muted';

type Colour = 'red' | 'green' | 'yellow' | 'cyan' | 'gray';

const palette: Record<Tone, Colour> = {
  accent: 'cyan',
  ok: 'green',
  error: 'red',
  warn: 'yellow',
  added: 'green',
  removed: 'red',
  muted: 'gray',
};

/** SGR foreground codes of the palette's colours (all reset by 39). */
const FOREGROUND: Record<Colour, number> = { red: 31, green: 32, yellow: 33, cyan: 36, gray: 90 };

export const colorsEnabled = (env: NodeJS.ProcessEnv = process.env): boolean => !env.NO_COLOR;

/** The colour name of a tone for ink, or undefined when colours are off. */
export function inkColor(tone: Tone, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return colorsEnabled(env) ? palette[tone] : undefined;
}

/** Which tone a run status, analysis outcome, verdict or agent lifecycle word is shown in. */
export function toneOf(word: string | null | undefined): Tone | undefined {
  switch (word) {
    case 'completed':
    case 'success':
    case 'good':
      return 'ok';
    case 'failed':
    case 'failure':
    case 'bad':
      return 'error';
    case 'partial':
    case 'waiting_user':
    case 'interrupted':
    case 'cancelled':
    case 'running':
    case 'executing':
      return 'warn';
    default:
      return undefined;
  }
}

export type Paint = (s: string) => string;

/** Text styles as ANSI escapes: a function per tone, plus bold, dim and inverse. */
export type Style = Record<Tone | 'bold' | 'dim' | 'inverse', Paint>;

const sgr =
  (open: number, close: number): Paint =>
  (s) =>
    `\x1b[${open}m${s}\x1b[${close}m`;
const plain: Paint = (s) => s;

const TEXT_STYLES = { bold: sgr(1, 22), dim: sgr(2, 22), inverse: sgr(7, 27) };

/** ANSI styles; with `color` false every tone is plain text (bold, dim and inverse stay unless `attributes` is false too). */
export function makeStyle(color: boolean | undefined, attributes: boolean = color === true): Style {
  const tones = Object.fromEntries((Object.keys(palette) as Tone[]).map((t) => [t, color ? sgr(FOREGROUND[palette[t]], 39) : plain])) as Record<Tone, Paint>;
  return attributes ? { ...tones, ...TEXT_STYLES } : { ...tones, bold: plain, dim: plain, inverse: plain };
}

/** The escapes a paint puts before and after its text, for marks placed inside text later (search matches). */
export function escapesOf(paint: Paint): [open: string, close: string] {
  const [open = '', close = ''] = paint('\0').split('\0');
  return [open, close];
}

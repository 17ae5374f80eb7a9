/**
 * Colours for the session UI. chalk (through ink) ignores NO_COLOR, so every colour goes through
 * `color()`, which drops it when NO_COLOR is set (https://no-color.org). Bold, dim and inverse are
 * not colours and stay.
 */
export type ColorName = 'accent' | 'ok' | 'error' | 'warn' | 'added' | 'removed' | 'muted';

const palette: Record<ColorName, string> = {
  accent: 'cyan',
  ok: 'green',
  error: 'red',
  warn: 'yellow',
  added: 'green',
  removed: 'red',
  muted: 'gray',
};

export const colorsEnabled = (env: NodeJS.ProcessEnv = process.env): boolean => !env.NO_COLOR;

export function color(name: ColorName): string | undefined {
  return colorsEnabled() ? palette[name] : undefined;
}

/**
 * Colours for the session UI, from the one palette in `../theme.ts`. chalk (through ink) ignores
 * NO_COLOR, so every colour goes through `color()`, which drops it when NO_COLOR is set.
 */
import { inkColor, type Tone } from '../theme.js';

export { colorsEnabled } from '../theme.js';
export type ColorName = Tone;

export function color(name: ColorName): string | undefined {
  return inkColor(name);
}

/**
 * The interactive session's V8 heap sizing: a long-lived process whose live heap stays small (about
 * 20 MB after a GC, whatever the session's length) but which makes a lot of short-lived garbage
 * (ink draws each frame into a fresh grid of one object per terminal cell, about 1 MB a frame).
 * With V8's defaults that garbage alone grows the young generation to its 2 × 16 MB maximum and
 * lets the old generation reach 2–4× the live heap before a full GC; the pages stay resident once
 * touched, so the session's RSS climbs by ~40 MB over its first 50 prompts (bench/ui.ts) while the
 * live heap stays flat. Here the young generation keeps the size it has when the session starts
 * (set after the first frame: 2 × 4 MB) and a full GC runs once the old generation is 1.5× its size
 * after the last one.
 * Measured over 50 prompts (bench/ui.ts): RSS ~105 MB instead of ~135–145 MB, and no more CPU time
 * for the whole session (8.1–8.3 s vs 9.3–10.3 s for the 50 runs, on a loaded machine).
 *
 * Both are ordinary V8 flags, read by the heap each time it resizes, so they can be set while the
 * process runs; only the session sets them (print mode and the review commands keep the defaults,
 * they exit within seconds).
 */
import v8 from 'node:v8';

/** The young generation does not grow (a factor of 1): its semi-spaces stay at their current size. */
const YOUNG_GROWTH_FACTOR = 1;
/** The old generation's next full-GC limit: this many percent above its size after the last one. */
const OLD_GROWTH_PERCENT = 50;

export function sizeHeapForSession(): void {
  v8.setFlagsFromString(`--semi-space-growth-factor=${YOUNG_GROWTH_FACTOR}`);
  v8.setFlagsFromString(`--heap-growing-percent=${OLD_GROWTH_PERCENT}`);
}

/**
 * How the session renders with ink (src/cli/interactive.ts; bench/ui.ts mounts the App the same way).
 * - exitOnCtrlC off: the prompt handles Ctrl-C itself (it cancels a run or clears the text first).
 * - maxFps 60: ink draws a change at once unless it drew less than a frame ago, then at the frame's
 *   end. At its default 30 fps the keys typed while the session loaded showed ~30 ms after the first
 *   frame (the frame before them had just been drawn), and each typed key could wait as long. What
 *   is drawn is the same; the session's updates come in 50 ms batches anyway (DeltaBatcher).
 */
export const inkOptions = { exitOnCtrlC: false, maxFps: 60 } as const;

import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { useStdin, useStdout } from 'ink';
import { KeyDecoder, type KeyPress } from './keys.js';

/**
 * Calls `handler` with each decoded key while `active`. Reads the raw sequences ink has split off
 * stdin (its `internal_eventEmitter`, part of its StdinContext type) because ink's parsed keys
 * lose Backspace vs Delete, Ctrl-J and bracketed pastes.
 */
export function useKeys(handler: (key: KeyPress) => void, active = true): void {
  const { internal_eventEmitter: emitter, setRawMode, isRawModeSupported } = useStdin();
  const latest = useRef(handler);
  latest.current = handler;
  // A layout effect: the handler switches in the same commit as the screen, so no key reaches a
  // prompt that is no longer shown.
  useLayoutEffect(() => {
    if (!active) return;
    if (isRawModeSupported) setRawMode(true);
    const decoder = new KeyDecoder();
    const onInput = (raw: string) => {
      for (const key of decoder.push(raw)) latest.current(key);
    };
    emitter.on('input', onInput);
    return () => {
      emitter.off('input', onInput);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [active, emitter, setRawMode, isRawModeSupported]);
}

/** Terminal width, following resizes (80 when unknown, e.g. not a terminal). */
export function useColumns(): number {
  const { stdout } = useStdout();
  const [columns, setColumns] = useState(stdout.columns || 80);
  useEffect(() => {
    const onResize = () => setColumns(stdout.columns || 80);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return columns;
}

/** Terminal height, following resizes (24 when unknown). */
export function useRows(): number {
  const { stdout } = useStdout();
  const [rows, setRows] = useState(stdout.rows || 24);
  useEffect(() => {
    const onResize = () => setRows(stdout.rows || 24);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return rows;
}

/**
 * State whose latest value a key handler can read at once: keys arriving in one burst (arrows then
 * Enter) must each see the previous key's result, before React re-renders.
 */
export function useLatest<T>(initial: T): [get: () => T, set: (value: T) => void] {
  const ref = useRef(initial);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  return [
    () => ref.current,
    (value: T) => {
      ref.current = value;
      rerender();
    },
  ];
}

import { initialState, reduce, type UiAction, type UiState } from './state.js';

/**
 * Holds the UI state outside React (the controller and the engine's hooks write to it) and tells
 * subscribers once per burst of actions, so a run's many events cost one render, not one each.
 */
export class UiStore {
  private state: UiState;
  private readonly listeners = new Set<() => void>();
  private scheduled = false;

  constructor(initial: UiState = initialState('', 'ask')) {
    this.state = initial;
  }

  getState = (): UiState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispatch = (action: UiAction): void => {
    this.state = reduce(this.state, action);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  };
}

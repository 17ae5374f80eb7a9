import type { BatonEvent, EventOf } from '../../core/events.js';

type Delta = EventOf<'text.delta'> | EventOf<'thinking.delta'>;

/**
 * Coalesces text and thinking deltas: the model streams a few characters per event, the screen
 * needs them at most every `intervalMs`. Any other event first flushes the text before it, so
 * order is kept (a turn's thinking comes before its text, and the map keeps that order).
 */
export class DeltaBatcher {
  private readonly pending = new Map<string, Delta>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deliver: (event: BatonEvent) => void,
    private readonly intervalMs = 50,
  ) {}

  push = (event: BatonEvent): void => {
    if (event.type !== 'text.delta' && event.type !== 'thinking.delta') {
      this.flush();
      this.deliver(event);
      return;
    }
    const key = `${event.type}:${event.agentCallId ?? ''}`;
    const waiting = this.pending.get(key);
    this.pending.set(key, waiting ? { ...waiting, text: waiting.text + event.text } : event);
    this.timer ??= setTimeout(this.flush, this.intervalMs);
  };

  flush = (): void => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const events = [...this.pending.values()];
    this.pending.clear();
    for (const e of events) this.deliver(e);
  };
}

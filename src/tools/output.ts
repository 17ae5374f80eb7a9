export const DEFAULT_OUTPUT_CAP = 30_000;

const omittedMarker = (n: number) => `\n[… ${n} chars omitted …]\n`;

/** Keeps the head and the tail (where errors and summaries usually are) of long tool output. */
export function capOutput(text: string, maxChars = DEFAULT_OUTPUT_CAP): string {
  if (text.length <= maxChars) return text;
  const head = Math.ceil(maxChars / 2);
  const tail = maxChars - head;
  return text.slice(0, head) + omittedMarker(text.length - maxChars) + text.slice(text.length - tail);
}

/**
 * Collects streamed output in bounded memory: the first `half` chars and a rolling window of the
 * last `half`, so a runaway command cannot exhaust memory (or the store) but keeps both ends.
 */
export class HeadTailBuffer {
  private head = '';
  private tail = '';
  private omitted = 0;
  constructor(private readonly half = 1_000_000) {}

  push = (chunk: string): void => {
    if (this.head.length < this.half) {
      const room = this.half - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    this.tail += chunk;
    if (this.tail.length > 2 * this.half) this.trimTail();
  };

  text(): string {
    this.trimTail();
    return this.omitted > 0 ? this.head + omittedMarker(this.omitted) + this.tail : this.head + this.tail;
  }

  private trimTail(): void {
    const excess = this.tail.length - this.half;
    if (excess <= 0) return;
    this.omitted += excess;
    this.tail = this.tail.slice(excess);
  }
}

/**
 * Collects items and hands them over in batches at most every `intervalMs` (events to the webview
 * are posted per batch, never per event). The first item after a quiet period starts the timer;
 * `flush` delivers at once (on run end, so the final state is never held back).
 */
export class Batcher<T> {
  private items: T[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly intervalMs: number, private readonly deliver: (batch: T[]) => void) {}

  push(...items: T[]): void {
    if (items.length === 0) return;
    this.items.push(...items);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.items.length === 0) return;
    const batch = this.items;
    this.items = [];
    this.deliver(batch);
  }

  /** Drops what is pending (the receiver went away; it will be replayed in full on 'ready'). */
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.items = [];
  }

  get size(): number {
    return this.items.length;
  }
}

/**
 * Per-key trailing debounce (pure timers, no vscode): validation runs ~250 ms after the last edit
 * of *that* document, so typing in one config never delays another's diagnostics.
 */
export class KeyedDebouncer<K> {
  private readonly timers = new Map<K, ReturnType<typeof setTimeout>>();

  constructor(private readonly delayMs: number) {}

  schedule(key: K, fn: () => void): void {
    this.cancel(key);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      fn();
    }, this.delayMs));
  }

  cancel(key: K): void {
    const t = this.timers.get(key);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(key);
  }

  pending(key: K): boolean {
    return this.timers.has(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

/** A minimal typed event (pure): the run manager must not depend on vscode.EventEmitter so it can
 * be unit-tested in plain Node. */
export class Signal<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Returns the unsubscribe function. */
  on(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  fire(value: T): void {
    for (const l of [...this.listeners]) {
      // One faulty listener (a disposed panel) must not starve the others.
      try { l(value); } catch { /* ignored */ }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

/**
 * The loading indicator of a large report: a progress bar over the page while the embedded
 * run is decoded and folded in slices (the page stays responsive and says what it is doing).
 */
import { el } from './dom';

export class Loading {
  private readonly box: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly text: HTMLElement;

  constructor(root: HTMLElement) {
    this.box = root.appendChild(el('div', 'loading'));
    this.box.id = 'loading';
    this.box.setAttribute('role', 'status');
    this.text = this.box.appendChild(el('span', 'loading-text', 'Loading the run…'));
    this.bar = this.box.appendChild(el('progress'));
    this.bar.max = 1;
    this.bar.value = 0;
    this.bar.setAttribute('aria-label', 'loading progress');
  }

  set(fraction: number, what: string): void {
    this.bar.value = Math.min(1, Math.max(0, fraction));
    this.text.textContent = what;
  }

  /** Puts the indicator first in `root` (again, after the app rebuilt the page under it). */
  attach(root: HTMLElement): void { root.prepend(this.box); }

  done(): void { this.box.remove(); }
}

/** Resolves in a new task (not a microtask): lets the page paint and handle input between slices. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

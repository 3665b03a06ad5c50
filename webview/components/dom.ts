/** Tiny DOM helpers (no framework: the panel is a handful of static sections). */

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A titled card holding one canvas; the wrapper gives Chart.js a sized box to fill. */
export function chartCard(parent: HTMLElement, title: string, id: string, subtitle?: string): { card: HTMLElement; canvas: HTMLCanvasElement } {
  const card = parent.appendChild(el('section', 'card'));
  card.id = id;
  const head = card.appendChild(el('h3', 'card-title', title));
  if (subtitle) head.appendChild(el('span', 'card-sub', subtitle));
  const box = card.appendChild(el('div', 'chart-box'));
  const canvas = box.appendChild(el('canvas'));
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', title);
  return { card, canvas };
}

/**
 * One vscode-tabs header and panel per registered view. vscode-tabs assigns its own ids to
 * headers and panels: tests and CSS find them by data-tab / data-panel (the view's tab id).
 */
import type { PanelView } from '../views/types';

export function buildTabs(root: HTMLElement, views: readonly PanelView[], selected: string, onSelect: (tab: string) => void): Map<string, HTMLElement> {
  const tabs = root.appendChild(document.createElement('vscode-tabs'));
  tabs.id = 'tabs';
  for (const v of views) {
    const h = tabs.appendChild(document.createElement('vscode-tab-header'));
    h.setAttribute('slot', 'header');
    h.dataset.tab = v.tab;
    h.textContent = v.title;
  }
  const panels = new Map<string, HTMLElement>();
  for (const v of views) {
    const p = tabs.appendChild(document.createElement('vscode-tab-panel'));
    p.dataset.panel = v.tab;
    panels.set(v.tab, p);
  }
  wrapHeaders(tabs);
  tabs.setAttribute('selected-index', String(Math.max(0, views.findIndex((v) => v.tab === selected))));
  tabs.addEventListener('vsc-tabs-select', (ev) => {
    const t = views[(ev as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex];
    if (t) onSelect(t.tab);
  });
  return panels;
}

/**
 * Lets the tab headers wrap onto a second line in a narrow side panel instead of widening the
 * page. The list is in vscode-tabs' shadow root (no part to style it from outside); CSSOM, not
 * a style attribute, so the CSP allows it.
 */
function wrapHeaders(tabs: HTMLElement): void {
  if (typeof customElements === 'undefined') return;
  void customElements.whenDefined('vscode-tabs').then(async () => {
    await (tabs as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
    const list = tabs.shadowRoot?.querySelector<HTMLElement>('.tablist');
    if (list) list.style.flexWrap = 'wrap';
  });
}

/**
 * The arm list: the one legend every chart shares. Searchable, scrolling inside its own box,
 * grouped by activation (the group a colour hue stands for), each arm shown by what
 * distinguishes it (its swept values) with its colour and dash. Clicking an arm hides or shows
 * it in every chart, its ◎ button highlights it, a group header toggles the whole group. The
 * choice is view state (hiddenArms, highlightArm, armFilter), so it persists.
 *
 * Keyboard: every row and header is a button (Tab / Shift+Tab, Enter or Space), with
 * aria-pressed telling whether the arm is shown.
 */
import type { ArmSpec } from '../../src/core/config';
import type { ArmStyle } from '../state/armStyles';
import type { ViewState } from '../state/viewState';
import { el } from './dom';

/** What tells an arm apart from the others of its group: its swept values, else its label. */
export function distinguishing(arm: ArmSpec): string {
  const parts = Object.entries(arm.sweep).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(', ') : arm.label;
}

interface Row { arm: ArmSpec; item: HTMLElement; toggle: HTMLButtonElement; mark: HTMLButtonElement; text: string }

export class ArmList {
  private readonly rows: Row[] = [];
  private readonly groups = new Map<string, { head: HTMLElement; box: HTMLElement; rows: Row[] }>();
  private readonly count: HTMLElement;

  constructor(parent: HTMLElement, arms: readonly ArmSpec[], styles: readonly ArmStyle[], private view: () => ViewState, private readonly save: (p: Partial<ViewState>) => void) {
    const box = parent.appendChild(el('section', 'arm-list'));
    box.id = 'arm-list';
    box.setAttribute('aria-label', 'Arms: click to show or hide in every chart');
    const bar = box.appendChild(el('div', 'arm-list-bar'));
    const search = bar.appendChild(el('input', 'arm-search'));
    search.id = 'arm-search';
    search.type = 'search';
    search.placeholder = `Filter ${arms.length} arms…`;
    search.setAttribute('aria-label', 'filter arms');
    search.value = view().armFilter;
    search.addEventListener('input', () => { this.filter(search.value); save({ armFilter: search.value }); });
    this.count = bar.appendChild(el('span', 'arm-count'));
    const all = bar.appendChild(el('button', 'arm-all', 'show all'));
    all.addEventListener('click', () => save({ hiddenArms: [], highlightArm: '' }));
    const scroll = box.appendChild(el('div', 'arm-scroll'));
    scroll.setAttribute('role', 'list');
    arms.forEach((arm, i) => this.addRow(scroll, arm, styles[i]!));
    this.filter(search.value);
    this.sync();
  }

  private addRow(scroll: HTMLElement, arm: ArmSpec, style: ArmStyle): void {
    let g = this.groups.get(arm.activationId);
    if (!g) {
      // A group's arms sit under its header even when the config interleaves groups.
      const box = scroll.appendChild(el('div', 'arm-group-box'));
      const head = box.appendChild(el('button', 'arm-group'));
      head.dataset.group = arm.activationId;
      head.addEventListener('click', () => this.toggleGroup(arm.activationId));
      g = { head, box, rows: [] };
      this.groups.set(arm.activationId, g);
    }
    const item = g.box.appendChild(el('div', 'arm-item'));
    item.setAttribute('role', 'listitem');
    item.dataset.armId = arm.armId;
    const toggle = item.appendChild(el('button', 'arm-toggle'));
    const swatch = toggle.appendChild(el('span', 'arm-swatch'));
    // A dash pattern as a border style reads at 18 px: solid, dashed, dotted, double.
    swatch.style.borderTopColor = style.color;
    swatch.style.borderTopStyle = ['solid', 'dashed', 'dotted', 'double'][[0, 2, 4, 8].indexOf(style.dash.length)] ?? 'solid';
    toggle.appendChild(el('span', 'arm-name', distinguishing(arm)));
    toggle.title = arm.label;
    toggle.addEventListener('click', () => this.toggleArms([arm.armId]));
    const mark = item.appendChild(el('button', 'arm-mark', '◎'));
    mark.title = `highlight ${arm.label}`;
    mark.setAttribute('aria-label', `highlight ${arm.label}`);
    mark.addEventListener('click', () => this.save({ highlightArm: this.view().highlightArm === arm.armId ? '' : arm.armId }));
    const row: Row = { arm, item, toggle, mark, text: arm.label.toLowerCase() };
    this.rows.push(row);
    g.rows.push(row);
  }

  private toggleArms(ids: string[]): void {
    const hidden = new Set(this.view().hiddenArms);
    const show = ids.every((id) => hidden.has(id));
    for (const id of ids) if (show) hidden.delete(id); else hidden.add(id);
    this.save({ hiddenArms: [...hidden] });
  }

  private toggleGroup(group: string): void {
    const rows = this.groups.get(group)?.rows.filter((r) => !r.item.hidden) ?? [];
    this.toggleArms(rows.map((r) => r.arm.armId));
  }

  private filter(text: string): void {
    const q = text.trim().toLowerCase();
    let shown = 0;
    for (const r of this.rows) { r.item.hidden = q !== '' && !r.text.includes(q); if (!r.item.hidden) shown++; }
    for (const [, g] of this.groups) g.box.hidden = g.rows.every((r) => r.item.hidden);
    this.count.textContent = q ? `${shown} of ${this.rows.length}` : `${this.rows.length} arms`;
  }

  /** Reflects the view state's hidden and highlighted arms. */
  sync(): void {
    const v = this.view();
    const hidden = new Set(v.hiddenArms);
    for (const r of this.rows) {
      const off = hidden.has(r.arm.armId);
      r.item.classList.toggle('off', off);
      r.toggle.setAttribute('aria-pressed', String(!off));
      r.toggle.setAttribute('aria-label', `${r.arm.label}: ${off ? 'hidden' : 'shown'}`);
      r.item.classList.toggle('lit', v.highlightArm === r.arm.armId);
      r.mark.setAttribute('aria-pressed', String(v.highlightArm === r.arm.armId));
    }
    for (const [id, g] of this.groups) {
      const on = g.rows.filter((r) => !hidden.has(r.arm.armId)).length;
      g.head.textContent = `${id} · ${on} / ${g.rows.length} shown`;
      g.head.setAttribute('aria-label', `group ${id}: ${on} of ${g.rows.length} shown; toggle the group`);
    }
  }
}

/**
 * Controls from @vscode-elements/elements (registered by ./elements.ts, imported by the entry):
 * thin typed wrappers that create them by tag name, so this module loads without a DOM.
 */
import { el } from './dom';

export interface Option { value: string; label: string }

/** The parts of the elements' APIs we use (their classes are not re-exported from one entry). */
interface ValueElement extends HTMLElement { value: string }
interface CheckElement extends HTMLElement { checked: boolean }

export function labelled(parent: HTMLElement, label: string): HTMLElement {
  const wrap = parent.appendChild(el('label', 'control'));
  wrap.appendChild(el('span', 'control-label', label));
  return wrap;
}

export class Select {
  readonly element: ValueElement;
  constructor(parent: HTMLElement, label: string, options: Option[], selected: string, onChange: (value: string) => void, id?: string) {
    const wrap = labelled(parent, label);
    this.element = wrap.appendChild(document.createElement('vscode-single-select')) as ValueElement;
    if (id) this.element.id = id;
    // Named explicitly: the wrapping <label> alone left some selects without an accessible name.
    this.element.setAttribute('aria-label', label);
    this.setOptions(options, selected);
    this.element.addEventListener('change', () => onChange(this.element.value));
  }

  setOptions(options: Option[], selected: string): void {
    this.element.replaceChildren(...options.map((o) => {
      const opt = document.createElement('vscode-option');
      opt.setAttribute('value', o.value);
      opt.textContent = o.label;
      if (o.value === selected) opt.setAttribute('selected', '');
      return opt;
    }));
    this.element.value = selected;
  }

  get value(): string { return this.element.value; }
}

export function checkbox(parent: HTMLElement, label: string, checked: boolean, onChange: (checked: boolean) => void, id?: string): CheckElement {
  const c = parent.appendChild(document.createElement('vscode-checkbox')) as CheckElement;
  c.setAttribute('label', label);
  if (id) c.id = id;
  c.checked = checked;
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

export function button(parent: HTMLElement, label: string, onClick: () => void, opts: { id?: string; secondary?: boolean } = {}): HTMLElement {
  const b = parent.appendChild(document.createElement('vscode-button'));
  b.textContent = label;
  if (opts.id) b.id = opts.id;
  if (opts.secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

/** A native range input: @vscode-elements has no slider. */
export function slider(parent: HTMLElement, label: string, value: number, onInput: (v: number) => void, id?: string): { input: HTMLInputElement; readout: HTMLElement } {
  const wrap = labelled(parent, label);
  const input = wrap.appendChild(el('input'));
  input.type = 'range';
  input.min = '0';
  input.max = '0.99';
  input.step = '0.01';
  input.value = String(value);
  if (id) input.id = id;
  const readout = wrap.appendChild(el('span', 'readout', value ? value.toFixed(2) : 'off'));
  input.addEventListener('input', () => {
    const v = Number(input.value);
    readout.textContent = v ? v.toFixed(2) : 'off';
    onInput(v);
  });
  return { input, readout };
}

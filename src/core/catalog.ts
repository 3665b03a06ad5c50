/**
 * The activation catalog, derived from the registry (src/core/activations): what editor hovers,
 * completions, the JSON schema's descriptions, the validator's messages and the README table
 * read, so a parameter's range or default is stated once, in its activation's file.
 */
import type { ActivationType } from './config';
import { ACTIVATIONS, ACTIVATION_PARAM_NAMES, ACTIVATION_TYPES, isActivationType, paramsOf, type NamedParam } from './activations';
import type { ParamKind } from './activations/define';

export { ACTIVATION_PARAM_NAMES, isActivationType };
export type { ParamKind };
export type ActivationParamName = string;

/**
 * number: a plain number (sweepable); schedule: a number or a schedule over training (sweepable);
 * boolean / enum: fixed per entry.
 */
export type ParamInfo = NamedParam;

export interface ActivationInfo {
  type: ActivationType;
  name: string;
  summary: string;
  formula: string;
  formulaMarkdown: string;
  reference?: string;
  /** Samples noise in training (the forward pass differs between calls). */
  stochastic: boolean;
  params: ParamInfo[];
}

// VS Code hovers render no math, so the markdown form is the plain formula in a code span.
function info(type: ActivationType): ActivationInfo {
  const d = ACTIVATIONS.find((a) => a.type === type)!;
  const out: ActivationInfo = {
    type, name: d.name, summary: d.summary, formula: d.formula, formulaMarkdown: `\`f(x) = ${d.formula}\``,
    stochastic: d.stochastic, params: paramsOf(type),
  };
  if (d.reference !== undefined) out.reference = d.reference;
  return out;
}

export const CATALOG: Readonly<Record<ActivationType, ActivationInfo>> = Object.fromEntries(
  ACTIVATION_TYPES.map((t) => [t, info(t)]),
) as Record<ActivationType, ActivationInfo>;

export function activationInfo(type: ActivationType): ActivationInfo {
  return CATALOG[type];
}

export function paramInfo(type: ActivationType, name: string): ParamInfo | undefined {
  return CATALOG[type].params.find((p) => p.name === name);
}

/** Types that accept `name` as a parameter. */
export function typesWithParam(name: string): ActivationType[] {
  return ACTIVATION_TYPES.filter((t) => CATALOG[t].params.some((p) => p.name === name));
}

/** "min ≤ v ≤ max" style text, or undefined when unbounded. */
export function rangeText(p: { min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean }): string | undefined {
  const lo = p.min === undefined ? '' : `${p.min} ${p.exclusiveMin ? '<' : '≤'} `;
  const hi = p.max === undefined ? '' : ` ${p.exclusiveMax ? '<' : '≤'} ${p.max}`;
  return lo || hi ? `${lo}value${hi}` : undefined;
}

/** Markdown for a parameter (hovers, schema). */
export function paramMarkdown(p: ParamInfo): string {
  const parts = [p.description, '', `Default: \`${JSON.stringify(p.default)}\``];
  const range = rangeText(p);
  if (range) parts.push(`Valid: ${range}`);
  if (p.recommended) parts.push(`Recommended: ${p.recommended[0]}–${p.recommended[1]}`);
  if (p.values) parts.push(`One of: ${p.values.map((v) => `\`${v}\``).join(', ')}`);
  if (p.sweepable) parts.push(p.kind === 'schedule'
    ? 'May be a schedule `{ "schedule": "cosine", "start": 0.2, "end": 0 }` or a sweep `{ "sweep": [...] }`.'
    : 'May be a sweep `{ "sweep": [...] }`.');
  return parts.join('  \n');
}

/** Markdown for an activation type (hovers, schema enum descriptions). */
export function activationMarkdown(type: ActivationType): string {
  const a = CATALOG[type];
  const lines = [`**${a.name}** — ${a.summary}`, '', a.formulaMarkdown];
  if (a.reference) lines.push('', `Reference: ${a.reference}`);
  if (a.stochastic) lines.push('', 'Stochastic in training.');
  if (a.params.length) {
    lines.push('', 'Parameters:');
    for (const p of a.params) lines.push(`- \`${p.name}\` (default \`${JSON.stringify(p.default)}\`): ${p.description}`);
  }
  return lines.join('\n');
}

/** One README table row per activation: type, formula, parameters. */
export function activationTableRow(type: ActivationType): string {
  const d = ACTIVATIONS.find((a) => a.type === type)!;
  const formula = d.readme?.formula ?? d.formula.replace(/\|/g, '\\|');
  const params = d.readme?.params ?? Object.keys(d.params).map((k) => `\`${k}\``).join(', ');
  return `| \`${type}\` | ${formula} | ${params ? `${params} ` : ''}|`;
}

/** The README's activation table (scripts/gen-schema.ts writes it; a test compares). */
export function activationTable(): string {
  return ['| type | formula | parameters |', '|---|---|---|', ...ACTIVATION_TYPES.map(activationTableRow), ''].join('\n');
}

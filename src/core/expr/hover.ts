/** What a hover over an expression shows: the formula as parsed, and what it implies. */
import { formatExpr } from './format';
import { parseExpr } from './parse';

export interface ExprHover {
  /** The parsed formula, minimal parentheses ("x * sigmoid(beta * x)"). */
  readonly formula: string;
  /** Short facts, one per line: parameters read, noise and its inference form. */
  readonly notes: readonly string[];
}

/** undefined when the expression has errors (the diagnostics show those). */
export function hoverExpr(text: string, params: readonly string[] = [], inference: 'deterministic' | 'stochastic' = 'deterministic'): ExprHover | undefined {
  const r = parseExpr(text, { params });
  if (!r.ok) return undefined;
  const notes: string[] = [];
  if (r.info.params.length) notes.push(`parameters: ${r.info.params.join(', ')}`);
  if (r.info.stochastic) {
    notes.push(`noise: ${r.info.noiseSites} call${r.info.noiseSites === 1 ? '' : 's'}, fresh per element per training step`);
    notes.push(inference === 'stochastic' ? 'inference: noise drawn as in training' : 'inference: each noise call is its mean (randn() 0, rand() 0.5)');
  }
  if (!r.info.usesX) notes.push('does not depend on x: a constant activation');
  if (r.info.unusedParams.length) notes.push(`unused parameters: ${r.info.unusedParams.join(', ')}`);
  return { formula: formatExpr(r.tree), notes };
}

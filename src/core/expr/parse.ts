/** Expression text → checked tree, or every located error. The entry point of src/core/expr. */
import { hasNoise, isReservedName, noiseSites, paramNames, usesX, type ExprNode } from './ast';
import { Checker } from './check';
import { exprError, type ExprError } from './errors';
import { isExprError, jsepParse } from './jsepParse';
import { prescan } from './limits';
import { evaluate } from './evaluate';

export interface ParseOptions {
  /** Parameter names declared next to the expression (its `params` keys). */
  readonly params?: readonly string[];
}

/** Facts about a checked expression the registry and the probes need. */
export interface ExprInfo {
  readonly usesX: boolean;
  /** It draws noise: probes and dead-unit counts treat it as stochastic, like N-ReLU. */
  readonly stochastic: boolean;
  /** Number of randn()/rand() call sites. */
  readonly noiseSites: number;
  /** Declared parameters it reads, in first-use order. */
  readonly params: readonly string[];
  /** Declared parameters it never reads (a warning for the editor). */
  readonly unusedParams: readonly string[];
}

export type ParseResult =
  | { readonly ok: true; readonly tree: ExprNode; readonly info: ExprInfo }
  | { readonly ok: false; readonly errors: readonly ExprError[] };

/** Parses and checks one expression. Never throws on any input string; evaluates nothing. */
export function parseExpr(text: string, options: ParseOptions = {}): ParseResult {
  const declared = (options.params ?? []).filter((p) => checkParamName(p) === undefined);
  const early = prescan(text);
  if (early) return { ok: false, errors: [early] };
  const raw = jsepParse(text);
  if (isExprError(raw)) return { ok: false, errors: [raw] };
  const checker = new Checker({ params: declared });
  const tree = checker.check(raw);
  if (!tree || checker.errors.length) return { ok: false, errors: checker.errors };
  const used = paramNames(tree);
  return {
    ok: true,
    tree,
    info: {
      usesX: usesX(tree),
      stochastic: hasNoise(tree),
      noiseSites: noiseSites(tree),
      params: used,
      unusedParams: declared.filter((p) => !used.includes(p)),
    },
  };
}

/**
 * A parameter value written as a formula ("2 * pi"): constants only — no x, no parameters, no
 * noise. Returns its value.
 */
export function parseConstant(text: string): { ok: true; value: number } | { ok: false; errors: readonly ExprError[] } {
  const early = prescan(text);
  if (early) return { ok: false, errors: [early] };
  const raw = jsepParse(text);
  if (isExprError(raw)) return { ok: false, errors: [raw] };
  const checker = new Checker({ params: [], constantOnly: true });
  const tree = checker.check(raw);
  if (!tree || checker.errors.length) return { ok: false, errors: checker.errors };
  const value = evaluate(tree, 0).v;
  if (!Number.isFinite(value)) return { ok: false, errors: [exprError(0, text.length, 'syntax', `the value is not finite (${value})`)] };
  return { ok: true, value };
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether a `params` key can be a parameter name; the error spans the name. */
export function checkParamName(name: string): ExprError | undefined {
  if (!IDENT.test(name)) {
    return exprError(0, name.length, 'bad-param-name', `parameter name "${name}" must be a name: letters, digits and _, not starting with a digit`);
  }
  if (isReservedName(name)) {
    return exprError(0, name.length, 'bad-param-name', `"${name}" is reserved (the variable, a constant or a function): pick another parameter name`);
  }
  return undefined;
}

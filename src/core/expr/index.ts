/**
 * The expression language of `type: "expr"` activations (pure TS: runs in the trainer, the
 * extension host and the webview). See docs/recipes/expr.md.
 */
export * from './ast';
export type { ExprError, ExprErrorCode } from './errors';
export { MAX_DEPTH, MAX_LENGTH } from './limits';
export { checkParamName, parseConstant, parseExpr, type ExprInfo, type ParseOptions, type ParseResult } from './parse';
export { evaluate, type Dual, type EvalOptions } from './evaluate';
export { exprStats, type ExprPoint, type ExprStatsOptions } from './stats';
export { formatExpr } from './format';
export { completeExpr, type ExprCompletion, type ExprCompletions } from './complete';
export { literalOffsets, rawOffset, rawRange } from './jsonOffsets';
export { hoverExpr, type ExprHover } from './hover';

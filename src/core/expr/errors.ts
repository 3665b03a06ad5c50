/** A problem in an expression, located by UTF-16 offsets into the expression text. */
export interface ExprError {
  /** [start, end) into the expression (not the JSON source: see ./jsonOffsets). */
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly code: ExprErrorCode;
  /** A replacement for [start, end) that would fix it ("did you mean"). */
  readonly suggestion?: string;
}

export type ExprErrorCode =
  | 'empty'
  | 'too-long'
  | 'too-deep'
  | 'bad-char'
  | 'unbalanced'
  | 'syntax'
  | 'unsupported'
  | 'unknown-name'
  | 'unknown-function'
  | 'not-a-function'
  | 'not-a-value'
  | 'arity'
  | 'chained-compare'
  | 'noise-in-param'
  | 'x-in-param'
  | 'param-in-param'
  | 'bad-param-name';

export function exprError(start: number, end: number, code: ExprErrorCode, message: string, suggestion?: string): ExprError {
  return suggestion === undefined ? { start, end, code, message } : { start, end, code, message, suggestion };
}

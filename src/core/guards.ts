/**
 * Type guards for data that crossed a boundary (IPC, postMessage, a file). One set, used by every
 * parser in the project, so "is this an object" means the same thing everywhere.
 */
export const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
export const isNum = (x: unknown): x is number => typeof x === 'number';
export const isFiniteNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const isStr = (x: unknown): x is string => typeof x === 'string';
export const isBool = (x: unknown): x is boolean => typeof x === 'boolean';
export const optNum = (x: unknown): boolean => x === undefined || isNum(x);
export const optStr = (x: unknown): boolean => x === undefined || isStr(x);
export const isInt = (x: unknown, min = Number.MIN_SAFE_INTEGER): x is number => isFiniteNum(x) && Number.isInteger(x) && x >= min;
export const oneOf = <T extends string>(list: readonly T[], x: unknown): x is T => isStr(x) && (list as readonly string[]).includes(x);

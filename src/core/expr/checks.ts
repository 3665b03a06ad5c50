/**
 * An expression entry's own checks (the registry's `checks` hook): every problem is located at
 * its character inside the JSON string, via the jsonc node's offset and rawRange, so
 * `actlab validate`, `actlab run` and the editor show the same file:line:col.
 */
import type { CheckContext } from '../activations/define';
import type { Path } from '../configDoc';
import type { Diagnostic, QuickFix } from '../diagnostics';
import type { ExprError } from './errors';
import { rawRange } from './jsonOffsets';
import { checkParamName, parseConstant, parseExpr } from './parse';
import { TRAINING_SWEEP_KEYS } from '../sweepKeys';

/** Names the arm ids already use for training, model and data sweeps: a parameter may not shadow them. */
const TRAINING_SWEEP_NAMES: readonly string[] = Object.keys(TRAINING_SWEEP_KEYS);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An error inside the string at `path`, as a diagnostic at its exact source characters. */
function located(ctx: CheckContext, path: Path, e: ExprError, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  const node = ctx.doc.node(path);
  if (!node || node.type !== 'string') return { severity, code: `expr-${e.code}`, path, range: ctx.doc.valueRange(path), message: e.message };
  const raw = ctx.doc.text.slice(node.offset, node.offset + node.length);
  const r = rawRange(raw, e.start, e.end);
  // An empty expression has no character to point at: the string ("") is the place.
  const range = e.code === 'empty' ? ctx.doc.nodeRange(node) : ctx.doc.range(node.offset + r.start, Math.max(0, r.end - r.start));
  const d: Diagnostic = { severity, code: `expr-${e.code}`, path, range, message: `${e.message} (in ${ctx.name})` };
  if (e.suggestion !== undefined) {
    const fix: QuickFix = { title: `Change to "${e.suggestion}"`, edits: [{ offset: range.offset, length: range.length, newText: e.suggestion }], preferred: true };
    d.fixes = [fix];
  }
  return d;
}

function at(ctx: CheckContext, path: Path, code: string, message: string, key = false): Diagnostic {
  return { severity: 'error', code, path, range: key ? ctx.doc.keyRange(path) : ctx.doc.valueRange(path), message: `${message} (in ${ctx.name})` };
}

function nameChecks(ctx: CheckContext, names: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const name of names) {
    const path: Path = [...ctx.base, 'params', name];
    const bad = checkParamName(name);
    if (bad) out.push(at(ctx, path, `expr-${bad.code}`, bad.message, true));
    else if (TRAINING_SWEEP_NAMES.includes(name)) out.push(at(ctx, path, 'expr-bad-param-name', `parameter name "${name}" is taken by the training sweep of the same name in arm ids; rename it`, true));
  }
  return out;
}

/** A value written as a formula: constants only (no x, no noise, no parameters). */
function constantChecks(ctx: CheckContext, path: Path, text: string): Diagnostic[] {
  const r = parseConstant(text);
  return r.ok ? [] : r.errors.map((e) => located(ctx, path, e));
}

function valueChecks(ctx: CheckContext, name: string, v: unknown): Diagnostic[] {
  const path: Path = [...ctx.base, 'params', name];
  if (typeof v === 'string') return constantChecks(ctx, path, v);
  if (!isObj(v)) return [];
  const out: Diagnostic[] = [];
  if (v.learnable === true) {
    if ('sweep' in v) out.push(at(ctx, [...path, 'sweep'], 'expr-learnable-swept', `parameter "${name}" is learnable and swept: a learnable parameter starts at "init" and is trained; sweep "init" in separate entries, or drop "learnable"`, true));
    if ('schedule' in v) out.push(at(ctx, [...path, 'schedule'], 'expr-learnable-scheduled', `parameter "${name}" is learnable and scheduled: choose one`, true));
    if (v.per !== undefined && v.per !== 'layer' && v.per !== 'unit') out.push(at(ctx, [...path, 'per'], 'expr-bad-per', `a learnable parameter's "per" is "layer" or "unit"`));
    if (typeof v.init === 'string') out.push(...constantChecks(ctx, [...path, 'init'], v.init));
    else if (typeof v.init !== 'number') out.push(at(ctx, path, 'expr-no-init', `learnable parameter "${name}" needs "init": its starting value`));
  } else if ('learnable' in v && v.learnable !== false) {
    out.push(at(ctx, [...path, 'learnable'], 'expr-bad-learnable', '"learnable" is true or false'));
  } else if (typeof v.schedule === 'string' && (v.per === 'layer' || v.per === 'unit')) {
    out.push(at(ctx, [...path, 'per'], 'expr-bad-per', `a schedule's "per" is "epoch" or "step" ("layer"/"unit" are for learnable parameters)`));
  }
  if (Array.isArray(v.sweep)) {
    v.sweep.forEach((s, i) => { if (typeof s === 'string') out.push(...constantChecks(ctx, [...path, 'sweep', i], s)); });
  }
  return out;
}

/** At most one scheduled parameter: the loop evaluates one schedule per step (the job's σ). */
function scheduleCount(ctx: CheckContext, params: Record<string, unknown>): Diagnostic[] {
  const scheduled = Object.keys(params).filter((k) => isObj(params[k]) && typeof (params[k] as Record<string, unknown>).schedule === 'string');
  return scheduled.slice(1).map((name) => at(ctx, [...ctx.base, 'params', name], 'expr-two-schedules',
    `only one parameter may follow a schedule ("${scheduled[0]}" does; its value is the job's σ); make "${name}" a number or a sweep`));
}

/** `exprKey`: the entry's key of the expression text (the registry entry names it). */
export function exprChecks(ctx: CheckContext, exprKey: string): Diagnostic[] {
  const params = isObj(ctx.entry.params) ? ctx.entry.params : {};
  const names = Object.keys(params);
  const out: Diagnostic[] = [...nameChecks(ctx, names)];
  for (const name of names) out.push(...valueChecks(ctx, name, params[name]));
  out.push(...scheduleCount(ctx, params));
  const text = ctx.entry[exprKey];
  if (typeof text !== 'string') return out;
  const exprPath: Path = [...ctx.base, exprKey];
  const r = parseExpr(text, { params: names });
  if (!r.ok) return [...out, ...r.errors.map((e) => located(ctx, exprPath, e))];
  for (const name of r.info.unusedParams) {
    out.push({ ...at(ctx, [...ctx.base, 'params', name], 'expr-unused-param', `parameter "${name}" is not used by the expression`, true), severity: 'warning' });
  }
  return out;
}

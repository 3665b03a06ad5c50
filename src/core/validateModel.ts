/**
 * Checks of `model` a schema cannot express: frozen layers that exist, and the combinations of
 * parameterization, init and output init that do not do what they seem to.
 */
import { type Doc, type Path, isObject, show } from './configDoc';
import type { Diagnostic } from './diagnostics';

/** The sizes of model.hidden as written, or of each swept value (the smallest depth counts). */
function depths(model: Record<string, unknown>): number[] {
  const countOf = (v: unknown): number | undefined => (Array.isArray(v) ? v.length : undefined);
  if (model.type === 'cnn') {
    const conv = Array.isArray(model.conv) ? model.conv.length : 2;
    const dense = Array.isArray(model.dense) ? model.dense.length : 1;
    return [conv + dense];
  }
  const h = model.hidden;
  if (isObject(h) && Array.isArray(h.sweep)) return h.sweep.map(countOf).filter((n) => n !== undefined);
  return [countOf(h) ?? 2];
}

function freezeChecks(doc: Doc, model: Record<string, unknown>): Diagnostic[] {
  if (!Array.isArray(model.freeze)) return [];
  const layers = Math.min(...depths(model));
  const out: Diagnostic[] = [];
  model.freeze.forEach((f, i) => {
    if (typeof f !== 'number' || !Number.isInteger(f) || f < 1 || f <= layers) return;
    const path: Path = ['model', 'freeze', i];
    out.push({
      severity: 'error', code: 'freeze-no-layer', path, range: doc.valueRange(path),
      message: `model.freeze names hidden layer ${f}, but the model has ${layers} hidden layer${layers === 1 ? '' : 's'} (counted from 1${model.type === 'cnn' ? ', conv layers first' : ''}).`,
    });
  });
  return out;
}

export function modelChecks(doc: Doc, root: Record<string, unknown>): Diagnostic[] {
  const model = isObject(root.model) ? root.model : undefined;
  if (!model) return [];
  const out = freezeChecks(doc, model);
  if (model.parameterization === 'ntk' && typeof model.init === 'string') {
    const path: Path = ['model', 'init'];
    out.push({
      severity: 'warning', code: 'init-unused', path, range: doc.valueRange(path),
      message: `"init": ${show(model.init)} is not used with "parameterization": "ntk" (weights N(0, 1), each pre-activation scaled by 1/√fan_in).`,
      fixes: [{ title: 'Remove "init"', edits: doc.removeProperty(path), preferred: true }],
    });
  }
  const frozenOutput = Array.isArray(model.freeze) && model.freeze.includes('output');
  if (model.outputInit === 'sign' && !frozenOutput) {
    const path: Path = ['model', 'outputInit'];
    out.push({
      severity: 'info', code: 'sign-output-trained', path, range: doc.valueRange(path),
      message: 'The ±1 output weights will be trained; add "output" to model.freeze to keep them fixed, as in the masking analysis (arXiv 2602.17423).',
    });
  }
  return out;
}

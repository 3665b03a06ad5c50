/**
 * The expression-cost row of docs/PERFORMANCE.md: Swish-β written as an expression
 * (`x * sigmoid(beta * x)`, β = 1) against built-in SiLU, one training step of the MLP and the
 * CNN (bench/step.ts: the trainer's own step, wasm + SIMD kernels, one thread), interleaved
 * repetitions, medians. The promise: an expression costs at most 2× its built-in equivalent.
 *   node --import tsx bench/expr.ts [--reps 3] [--models mlp,cnn] [--min-ms 1500]
 * prints the markdown table (stdout) and one JSON line of the rows.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { StepResult } from './step';

const ROOT = join(import.meta.dirname, '..');

export interface ExprRow { model: 'mlp' | 'cnn'; builtIn: number; expression: number; ratio: number; reps: number }

function step(model: string, act: string, minMs: number): StepResult {
  const args = ['--import', 'tsx', join(ROOT, 'bench', 'step.ts'), '--model', model, '--act', act, '--backend', 'wasm', '--gemm', '1', '--fused-adam', '--reps', '1', '--min-ms', String(minMs)];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`step.ts ${act} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  return JSON.parse(line ?? '{}') as StepResult;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Samples/s per CPU-second (less disturbed by other load than wall clock), medians over reps. */
export function exprRows(models: ReadonlyArray<'mlp' | 'cnn'>, reps: number, minMs: number): ExprRow[] {
  return models.map((model) => {
    const b: number[] = [];
    const e: number[] = [];
    for (let i = 0; i < reps; i++) {
      // Interleaved, so a burst of load hits both columns alike.
      b.push(step(model, 'silu', minMs).cpuSamplesPerSec);
      e.push(step(model, 'swishExpr', minMs).cpuSamplesPerSec);
    }
    const builtIn = median(b);
    const expression = median(e);
    return { model, builtIn, expression, ratio: builtIn / expression, reps };
  });
}

export function formatExprTable(rows: readonly ExprRow[]): string {
  const lines = [
    '| model | built-in silu (samples/CPU-s) | `x * sigmoid(beta * x)` (samples/CPU-s) | cost ratio (≤ 2 promised) |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.model} | ${r.builtIn.toFixed(0)} | ${r.expression.toFixed(0)} | ${r.ratio.toFixed(2)}× |`),
  ];
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('expr.ts')) {
  const argv = process.argv.slice(2);
  const arg = (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
  };
  const models = arg('models', 'mlp,cnn').split(',').filter((m): m is 'mlp' | 'cnn' => m === 'mlp' || m === 'cnn');
  const rows = exprRows(models, Math.max(1, Number(arg('reps', '3'))), Number(arg('min-ms', '1500')));
  process.stdout.write(`${formatExprTable(rows)}\n${JSON.stringify(rows)}\n`);
}

/**
 * Pretty-printing a checked tree with the fewest parentheses that keep its structure:
 * parseExpr(formatExpr(t)) gives t back (tested). Used for hovers ("parsed as …").
 */
import type { ExprNode } from './ast';

const PREC = { cond: 0, '||': 1, '&&': 2, compare: 7, '+': 9, '-': 9, '*': 10, '/': 10, unary: 10.5, '^': 11, atom: 12 } as const;

function prec(n: ExprNode): number {
  switch (n.kind) {
    case 'cond': return PREC.cond;
    case 'logical': return PREC[n.op];
    case 'compare': return PREC.compare;
    case 'binary': return PREC[n.op];
    case 'unary': return PREC.unary;
    case 'num': return n.value < 0 ? PREC.unary : PREC.atom;
    default: return PREC.atom;
  }
}

function num(v: number): string {
  if (v < 0 || Object.is(v, -0)) return `-${num(-v)}`;
  return String(v);
}

export function formatExpr(n: ExprNode): string {
  const wrap = (child: ExprNode, parens: boolean): string => (parens ? `(${formatExpr(child)})` : formatExpr(child));
  switch (n.kind) {
    case 'num': return num(n.value);
    case 'x': return 'x';
    case 'param': return n.name;
    case 'const': return n.name;
    case 'noise': return `${n.dist}()`;
    case 'call': return `${n.fn}(${n.args.map(formatExpr).join(', ')})`;
    case 'unary': {
      // -(-x) rather than --x; -x^2 needs none (it is -(x^2)); -(a*b) keeps its parentheses.
      const a = n.arg;
      const p = a.kind === 'unary' || (a.kind === 'num' && a.value < 0) || prec(a) < PREC.unary;
      return `-${wrap(a, p)}`;
    }
    case 'binary': {
      const p = PREC[n.op];
      if (n.op === '^') return `${wrap(n.left, prec(n.left) <= p)}^${wrap(n.right, prec(n.right) < PREC.unary)}`;
      return `${wrap(n.left, prec(n.left) < p)} ${n.op} ${wrap(n.right, prec(n.right) <= p)}`;
    }
    case 'compare':
      return `${wrap(n.left, prec(n.left) <= PREC.compare)} ${n.op} ${wrap(n.right, prec(n.right) <= PREC.compare)}`;
    case 'logical': {
      const p = PREC[n.op];
      return `${wrap(n.left, prec(n.left) < p)} ${n.op} ${wrap(n.right, prec(n.right) <= p)}`;
    }
    case 'cond':
      return `${wrap(n.test, prec(n.test) <= PREC.cond)} ? ${wrap(n.then, n.then.kind === 'cond')} : ${formatExpr(n.else)}`;
  }
}

/**
 * Checks that run before the others so that hostile input cannot crash or stall them: nesting
 * depth (scanned without recursion, before the recursive parser sees the text) and list length
 * (before the schema's pairwise uniqueness checks). Each is one located error.
 */
import { createScanner, getNodePath, type Node } from 'jsonc-parser';
import { type Diagnostic, type LineIndex } from './diagnostics';
import { MAX_LIST_ITEMS, MAX_NESTING } from './limits';

// jsonc-parser's SyntaxKind is a const enum (not importable with isolatedModules): its values.
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/** The first `{` or `[` nested deeper than MAX_NESTING, as an error; undefined when none is. */
export function nestingDiagnostic(text: string, lines: LineIndex): Diagnostic | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let t = scanner.scan(); t !== EOF; t = scanner.scan()) {
    if (t === OPEN_BRACE || t === OPEN_BRACKET) {
      depth++;
      if (depth > MAX_NESTING) {
        return {
          severity: 'error', code: 'too-deep', path: [], range: lines.range(scanner.getTokenOffset(), 1),
          message: `Objects and lists are nested more than ${MAX_NESTING} levels deep here; an experiment needs about 6. Remove the extra nesting.`,
        };
      }
    } else if (t === CLOSE_BRACE || t === CLOSE_BRACKET) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** Every list longer than MAX_LIST_ITEMS, located on its opening `[` (the tree is ≤ MAX_NESTING deep). */
export function longListDiagnostics(root: Node, lines: LineIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (n: Node): void => {
    const children = n.children ?? [];
    if (n.type === 'array' && children.length > MAX_LIST_ITEMS) {
      out.push({
        severity: 'error', code: 'list-too-long', path: getNodePath(n), range: lines.range(n.offset, 1),
        message: `This list has ${children.length.toLocaleString('en-US')} items, more than the ${MAX_LIST_ITEMS.toLocaleString('en-US')} a config may hold; sweep fewer values (each value is an arm).`,
      });
      return;
    }
    for (const c of children) visit(c);
  };
  visit(root);
  return out;
}

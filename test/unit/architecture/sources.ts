/**
 * The TypeScript sources the architecture tests read, parsed by TypeScript's own parser (a
 * dev dependency, fine in a test): every import-like reference of a file, and every function.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

export const ROOT = join(__dirname, '..', '..', '..');

/** The runtime folders: everything that ships. */
export const SOURCE_FOLDERS = ['src', 'webview'];

/** Repository-relative, '/'-separated. */
export const repoPath = (abs: string): string => relative(ROOT, abs).split(sep).join('/');

export function sourceFiles(folders: readonly string[] = SOURCE_FOLDERS): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) out.push(repoPath(p));
    }
  };
  for (const f of folders) walk(join(ROOT, f));
  return out;
}

export const parse = (file: string, text = readFileSync(join(ROOT, file), 'utf8')): ts.SourceFile =>
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

export type ReferenceKind = 'import' | 'export' | 'import()' | 'require' | 'import =' | 'require in code text';

export interface Reference {
  file: string;
  specifier: string;
  kind: ReferenceKind;
  line: number;
}

const stringArg = (call: ts.CallExpression): string | undefined => {
  const a = call.arguments[0];
  return a && ts.isStringLiteralLike(a) ? a.text : undefined;
};

/** Whether `call` is require(...) or require.resolve(...). */
const isRequire = (call: ts.CallExpression): boolean => {
  const c = call.expression;
  if (ts.isIdentifier(c)) return c.text === 'require';
  return ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === 'require' && c.name.text === 'resolve';
};

/**
 * Static imports (type-only ones too: a folder should not even name what it may not run),
 * `export ... from`, `import x = require()`, `import()` and `require()` with a literal, and
 * `require('...')` written inside a string or template (code for a worker's eval).
 */
export function references(sf: ts.SourceFile): Reference[] {
  const out: Reference[] = [];
  const add = (node: ts.Node, specifier: string, kind: ReferenceKind): void => {
    out.push({ file: sf.fileName, specifier, kind, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) add(node, node.moduleSpecifier.text, 'import');
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) add(node, node.moduleSpecifier.text, 'export');
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)
      && ts.isStringLiteral(node.moduleReference.expression)) add(node, node.moduleReference.expression.text, 'import =');
    else if (ts.isCallExpression(node)) {
      const s = stringArg(node);
      if (s !== undefined && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, s, 'import()');
      else if (s !== undefined && isRequire(node)) add(node, s, 'require');
    } else if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      // Code run from a string (a worker's `eval`, `node -e`) loads modules too.
      for (const m of node.text.matchAll(/\brequire\((['"])([^'"]+)\1\)/g)) add(node, m[2]!, 'require in code text');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, 'import()');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export interface FunctionSpan { file: string; name: string; line: number; lines: number }

function functionName(node: ts.FunctionLikeDeclaration, sf: ts.SourceFile): string {
  if (node.name) return node.name.getText(sf);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText(sf);
  return '(anonymous)';
}

/** Every function, method, accessor, constructor and arrow function with a body, with its line count. */
export function functionSpans(sf: ts.SourceFile): FunctionSpan[] {
  const out: FunctionSpan[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const fn = node as ts.FunctionLikeDeclaration;
      const first = sf.getLineAndCharacterOfPosition(fn.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(fn.getEnd()).line;
      out.push({ file: sf.fileName, name: functionName(fn, sf), line: first + 1, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COMMANDS, CONTEXT_RUNNING, LANGUAGE_ID, PANEL_VIEW_TYPE, SETTINGS, VIEW_RUNS } from '../../../src/extension/ids';
import { BACKENDS } from '../../../src/core/config';
import { DEFAULT_RUNS_FOLDER } from '../../../src/extension/settings';

interface Manifest {
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string | boolean } };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string }[] };
    languages: { id: string; aliases?: string[]; filenamePatterns?: string[]; configuration?: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    jsonLanguageParticipants: { languageId: string; comments?: boolean }[];
    jsonValidation: { fileMatch: string; url: string }[];
    configurationDefaults?: Record<string, unknown>;
    configuration: { properties: Record<string, { default: unknown; enum?: string[] }> };
  };
}

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

test('manifest: every command in code is contributed under the Activation Lab category, and only those', () => {
  const contributed: string[] = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(contributed, [...Object.values(COMMANDS)].sort());
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'Activation Lab');
  for (const [menu, entries] of Object.entries(pkg.contributes.menus)) {
    for (const e of entries) assert.ok(pkg.contributes.commands.some((c) => c.command === e.command), `${menu}: ${e.command} is a contributed command`);
  }
  assert.ok(pkg.contributes.menus['editor/title'].some((e) => e.when?.includes(CONTEXT_RUNNING)));
});

test('manifest: lazy activation, entry point, view, panel, language, schema, trust', () => {
  assert.equal(pkg.main, './dist/extension.js');
  assert.ok(!pkg.activationEvents.includes('*'));
  assert.ok(!pkg.activationEvents.some((e) => e.startsWith('workspaceContains')));
  assert.ok(pkg.activationEvents.includes(`onView:${VIEW_RUNS}`));
  assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${PANEL_VIEW_TYPE}`));
  const views = Object.entries(pkg.contributes.views);
  assert.ok(views.some(([container, vs]) => pkg.contributes.viewsContainers.activitybar.some((c) => c.id === container) && vs.some((v) => v.id === VIEW_RUNS)));
  const schema = pkg.contributes.jsonValidation.find((j) => j.fileMatch === '*.actlab.json');
  assert.ok(schema && existsSync(join(root, schema.url)), 'the contributed schema file exists');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
});

test('manifest: activation is lazy: only experiment documents, the Runs view, a restored panel (commands are implicit)', () => {
  assert.deepEqual([...pkg.activationEvents].sort(), [`onLanguage:${LANGUAGE_ID}`, `onView:${VIEW_RUNS}`, `onWebviewPanel:${PANEL_VIEW_TYPE}`].sort());
  // Not onLanguage:jsonc / json: those fire for settings.json, tsconfig.json, package.json...
  assert.ok(!pkg.activationEvents.some((e) => /^onLanguage:jsonc?$/.test(e)));
});

test('manifest: *.actlab.json is its own language, JSON with comments, served by VS Code\'s JSON support', () => {
  const lang = pkg.contributes.languages.find((l) => l.id === LANGUAGE_ID);
  assert.ok(lang, 'the actlab language is contributed');
  assert.deepEqual(lang.filenamePatterns, ['*.actlab.json']);
  assert.equal(lang.aliases?.[0], 'Activation Lab Experiment');
  assert.ok(!pkg.contributes.languages.some((l) => l.id === 'json' || l.id === 'jsonc'), 'no built-in language is re-associated');
  // The language configuration: comments for Toggle Comment, brackets, auto-closing.
  assert.ok(lang.configuration);
  const conf = JSON.parse(readFileSync(join(root, lang.configuration), 'utf8')) as {
    comments: { lineComment: string; blockComment: [string, string] };
    brackets: [string, string][];
    autoClosingPairs: { open: string; close: string }[];
  };
  assert.deepEqual(conf.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
  assert.deepEqual(conf.brackets, [['{', '}'], ['[', ']']]);
  for (const [open, close] of [['{', '}'], ['[', ']'], ['"', '"']]) assert.ok(conf.autoClosingPairs.some((p) => p.open === open && p.close === close), `${open} auto-closes`);
  // The grammar is JSON with comments (the scope name VS Code's built-in json extension registers).
  const grammar = pkg.contributes.grammars.find((g) => g.language === LANGUAGE_ID);
  assert.ok(grammar);
  const tm = JSON.parse(readFileSync(join(root, grammar.path), 'utf8')) as { scopeName: string; patterns: { include: string }[] };
  assert.equal(tm.scopeName, grammar.scopeName);
  assert.deepEqual(tm.patterns, [{ include: 'source.json.comments' }]);
  // The JSON language client adds participant languages to its document selector (`comments` is
  // what it reads for them, though its server, as of VS Code 1.139, still goes by the schema below).
  assert.deepEqual(pkg.contributes.jsonLanguageParticipants, [{ languageId: LANGUAGE_ID, comments: true }]);
  // The JSON server reports comments and trailing commas as errors outside jsonc unless the schema
  // allows them: the contributed schema is the generated one, or a wrapper of it, with both flags.
  const validation = pkg.contributes.jsonValidation.find((j) => j.fileMatch === '*.actlab.json');
  assert.ok(validation);
  const editorSchema = JSON.parse(readFileSync(join(root, validation.url), 'utf8')) as { allowComments?: unknown; allowTrailingCommas?: unknown; $ref?: string };
  assert.equal(editorSchema.allowComments, true);
  assert.equal(editorSchema.allowTrailingCommas, true);
  const generated = join(root, 'schemas', 'actlab.schema.json');
  assert.equal(editorSchema.$ref ? join(root, dirname(validation.url), editorSchema.$ref) : join(root, validation.url), generated);
  assert.ok(pkg.contributes.configurationDefaults?.[`[${LANGUAGE_ID}]`], 'string suggestions on, as for JSON');
});

test('manifest: editor and explorer menus show for the actlab language, not by file name or jsonc', () => {
  for (const menu of ['editor/title', 'editor/context', 'explorer/context']) {
    for (const e of pkg.contributes.menus[menu]) {
      assert.match(e.when ?? '', new RegExp(`(^|&& )resourceLangId == ${LANGUAGE_ID}( &&|$)`), `${menu}: ${e.command}`);
      assert.doesNotMatch(e.when ?? '', /jsonc|resourceFilename/, `${menu}: ${e.command}`);
    }
  }
});

test('manifest: settings match what the code reads', () => {
  const props = pkg.contributes.configuration.properties;
  const key = (k: string): string => `${SETTINGS.section}.${k}`;
  assert.deepEqual(props[key(SETTINGS.backend)].enum, [...BACKENDS]);
  assert.equal(props[key(SETTINGS.backend)].default, 'auto');
  assert.equal(props[key(SETTINGS.maxParallelJobs)].default, 0);
  assert.equal(props[key(SETTINGS.runsFolder)].default, DEFAULT_RUNS_FOLDER);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, CONTEXT_RUNNING, PANEL_VIEW_TYPE, SETTINGS, VIEW_RUNS } from '../../../src/extension/ids';
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
    languages: { id: string; filenamePatterns: string[] }[];
    jsonValidation: { fileMatch: string; url: string }[];
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
  assert.ok(pkg.contributes.languages.some((l) => l.id === 'jsonc' && l.filenamePatterns.includes('*.actlab.json')));
  const schema = pkg.contributes.jsonValidation.find((j) => j.fileMatch === '*.actlab.json');
  assert.ok(schema && existsSync(join(root, schema.url)), 'the contributed schema file exists');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
});

test('manifest: settings match what the code reads', () => {
  const props = pkg.contributes.configuration.properties;
  const key = (k: string): string => `${SETTINGS.section}.${k}`;
  assert.deepEqual(props[key(SETTINGS.backend)].enum, [...BACKENDS]);
  assert.equal(props[key(SETTINGS.backend)].default, 'auto');
  assert.equal(props[key(SETTINGS.maxParallelJobs)].default, 0);
  assert.equal(props[key(SETTINGS.runsFolder)].default, DEFAULT_RUNS_FOLDER);
});

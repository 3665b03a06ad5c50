/** report.html: reading a run folder (truncated last line), step decimation, safe embedding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION, type ActlabEvent } from '../../src/core/protocol';
import { embedJson, escapeInlineScript, renderPanelHtml } from '../../src/report/html';
import { readRun } from '../../src/runner/runs';
import { buildReportHtml, decimateSteps } from '../../src/report/reportHtml';
import { writeReportFile } from '../../src/runner/reportFile';
import { FIXTURE_RUN, ensureBundle, loadFixture } from './browser';

const v = PROTOCOL_VERSION;

test('readRun tolerates a truncated last line; writeReportFile embeds the run', () => {
  ensureBundle();
  const dir = mkdtempSync(join(tmpdir(), 'actlab-run-'));
  try {
    cpSync(FIXTURE_RUN, dir, { recursive: true });
    appendFileSync(join(dir, 'events.jsonl'), '{"type":"step","v":1,"t":5,"jobId":"relu#1","ep');
    const run = readRun(dir);
    assert.equal(run.warnings.length, 1);
    assert.match(run.warnings[0]!, /truncated last line/);
    assert.equal(run.events.length, loadFixture().events.length);
    const file = writeReportFile(dir, buildReportHtml);
    assert.equal(file, join(dir, 'report.html'));
    const html = readFileSync(file, 'utf8');
    const data = /<script type="application\/json" id="actlab-data">([\s\S]*?)<\/script>/.exec(html);
    assert.ok(data, 'run data embedded');
    const parsed = JSON.parse(data[1]!) as { runId: string; events: unknown[] };
    assert.equal(parsed.events.length, run.events.length);
    assert.equal(parsed.runId, loadFixture().runId);
    assert.doesNotMatch(html, /<(script|link)[^>]+src=|href="http/i, 'nothing loaded from elsewhere');
    assert.match(html, /default-src 'none'; script-src 'nonce-[^']+'/);
    assert.doesNotMatch(html, /unsafe-(eval|inline)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('decimateSteps keeps every non-step event and each epoch’s last step', () => {
  const events: ActlabEvent[] = [];
  for (let s = 0; s < 10_000; s++) {
    const epoch = Math.floor(s / 1000);
    events.push({ type: 'step', v, t: s, jobId: 'a', epoch, step: s, loss: 1 / (s + 1) });
    if (s % 1000 === 999) events.push({ type: 'epoch', v, t: s, jobId: 'a', epoch: epoch + 1, step: s, trainLoss: 1, testLoss: 1, seconds: 1, samplesPerSec: 1 });
  }
  const out = decimateSteps(events, 500);
  const steps = out.filter((e) => e.type === 'step');
  assert.ok(steps.length <= 520 && steps.length >= 450, `kept ${steps.length}`);
  assert.equal(out.filter((e) => e.type === 'epoch').length, 10);
  for (let e = 0; e < 10; e++) assert.ok(steps.some((s) => s.type === 'step' && s.step === e * 1000 + 999));
  assert.deepEqual(decimateSteps(events.slice(0, 100), 500), events.slice(0, 100), 'short runs untouched');
});

test('embedding cannot break out of the script elements', () => {
  const json = embedJson({ name: '</script><script>alert(1)</script><!--', x: Number.NaN, ls: '\u2028' });
  assert.doesNotMatch(json, /</);
  assert.deepEqual(JSON.parse(json), { name: '</script><script>alert(1)</script><!--', x: null, ls: '\u2028' });
  const js = escapeInlineScript('const a = "</script>"; const b = /<!--/;');
  assert.doesNotMatch(js, /<\/script|<!--/i);
  assert.equal(new Function(`${js}; return [a, b.source];`)()[0], '</script>');
  const html = renderPanelHtml({ nonce: 'n0', scriptSrc: 'https://x/webview.js', styleHref: 'https://x/panel.css', cspSource: 'https://x' });
  assert.match(html, /style-src https:\/\/x 'nonce-n0'/);
  assert.match(html, /<script nonce="n0" src="https:\/\/x\/webview.js"><\/script>/);
  assert.doesNotMatch(html, /actlab-data/);
});

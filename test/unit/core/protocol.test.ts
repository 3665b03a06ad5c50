import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricsAt } from '../../../src/core/metrics';
import {
  PROTOCOL_VERSION as v, REQUEST_KINDS, WEBVIEW_REQUESTS, answerRequest, decodeEventLine, encodeEvent, parseEvent,
  parseHostToWebview, parseWebviewToHost, type RequestHandlers,
} from '../../../src/core/protocol';

const epoch: Record<string, unknown> = { type: 'epoch', v, t: 1, jobId: 'a', epoch: 1, step: 9, trainLoss: 0.5, testLoss: 0.6, trainAccuracy: 0.8, testAccuracy: 0.7, sigma: 0.1, seconds: 1, samplesPerSec: 100 };
const layer: Record<string, unknown> = { layer: 'dense1', units: 4, deadMean: 0, deadSigned: 0.5, deadGrad: 0.25, meanActivation: 0.3, fracPositive: [1, 0.5, 0, 1], gradNorm: 2 };

test('epoch, step and probe validation follows the metrics table: required fields must be numbers, optional ones may be absent', () => {
  assert.equal(typeof parseEvent(epoch), 'object');
  for (const d of metricsAt('epoch')) {
    const { [d.key]: _drop, ...rest } = epoch;
    assert.equal(typeof parseEvent(rest), d.optional ? 'object' : 'string', `epoch without ${d.key}`);
    assert.equal(typeof parseEvent({ ...epoch, [d.key]: 'x' }), 'string', `epoch with a string ${d.key}`);
  }
  const step: Record<string, unknown> = { type: 'step', v, t: 1, jobId: 'a', epoch: 0, step: 0, loss: 1, sigma: 0.2 };
  for (const d of metricsAt('step')) {
    const { [d.key]: _drop, ...rest } = step;
    assert.equal(typeof parseEvent(rest), d.optional ? 'object' : 'string', `step without ${d.key}`);
  }
  for (const d of metricsAt('probe')) {
    const { [d.key]: _drop, ...rest } = layer;
    assert.equal(typeof parseEvent({ type: 'probe', v, t: 1, jobId: 'a', epoch: 0, layers: [rest], ms: 1 }), d.optional ? 'object' : 'string', `layer without ${d.key}`);
    assert.equal(typeof parseEvent({ type: 'probe', v, t: 1, jobId: 'a', epoch: 0, layers: [{ ...layer, [d.key]: 'x' }], ms: 1 }), 'string', `layer with a string ${d.key}`);
  }
  assert.equal(typeof parseEvent({ type: 'probe', v, t: 1, jobId: 'a', epoch: 0, layers: [layer], ms: 1 }), 'object');
});

test('non-finite numbers travel as null and come back as NaN; statuses are checked', () => {
  const parsed = parseEvent({ ...epoch, trainLoss: Number.POSITIVE_INFINITY, testLoss: Number.NaN });
  assert.ok(typeof parsed !== 'string');
  const line = encodeEvent(parsed);
  assert.match(line, /"trainLoss":null/);
  const e = decodeEventLine(line);
  assert.ok(typeof e !== 'string' && e.type === 'epoch' && Number.isNaN(e.trainLoss) && Number.isNaN(e.testLoss));
  assert.equal(typeof parseEvent({ type: 'jobEnd', v, t: 1, jobId: 'a', status: 'exploded', epoch: 1, step: 1, seconds: 1 }), 'string');
  assert.equal(typeof parseEvent({ type: 'runEnd', v, t: 1, runId: 'r', status: 'completed', seconds: 1 }), 'object');
  assert.equal(typeof parseEvent({ type: 'runEnd', v, t: 1, runId: 'r', status: 'maybe', seconds: 1 }), 'string');
  // Host → webview events are decoded by the same codec.
  const m = parseHostToWebview({ type: 'events', v, runId: 'r', events: [{ ...epoch, testLoss: null }] });
  const first = typeof m !== 'string' && m.type === 'events' ? m.events[0] : undefined;
  assert.ok(first?.type === 'epoch' && Number.isNaN(first.testLoss));
});

test('requests: one decoder per action; args are validated, results typed and decoded', async () => {
  assert.deepEqual(REQUEST_KINDS, Object.keys(WEBVIEW_REQUESTS));
  assert.deepEqual(parseWebviewToHost({ type: 'request', v, requestId: 2, action: 'exportCsv' }), { type: 'request', v, requestId: 2, action: 'exportCsv' });
  assert.deepEqual(parseWebviewToHost({ type: 'request', v, requestId: 2, action: 'stop', args: {} }), { type: 'request', v, requestId: 2, action: 'stop', args: {} });
  assert.equal(typeof parseWebviewToHost({ type: 'request', v, requestId: 2, action: 'stop', args: 5 }), 'string');
  assert.equal(typeof parseWebviewToHost({ type: 'request', v, requestId: -1, action: 'stop' }), 'string');

  const handlers: RequestHandlers = {
    stop: async () => ({}),
    exportCsv: async () => ({ files: ['/x/run.csv'] }),
    openConfig: async () => { throw new Error('gone'); },
    openReport: async () => ({ path: '/x/report.html' }),
    saveFile: async ({ name }) => ({ path: `/x/${name}` }),
  };
  const ok = await answerRequest(handlers, { type: 'request', v, requestId: 7, action: 'exportCsv' });
  assert.deepEqual(ok, { type: 'response', v, requestId: 7, ok: true, result: { files: ['/x/run.csv'] } });
  assert.deepEqual(await answerRequest(handlers, { type: 'request', v, requestId: 8, action: 'openConfig' }),
    { type: 'response', v, requestId: 8, ok: false, error: 'gone' });
  // The webview side decodes the result with the same table.
  const back = parseHostToWebview(JSON.parse(JSON.stringify(ok)));
  assert.ok(typeof back !== 'string' && back.type === 'response');
  assert.deepEqual(WEBVIEW_REQUESTS.exportCsv.result(back.result), { files: ['/x/run.csv'] });
  assert.equal(WEBVIEW_REQUESTS.openReport.result({ path: 3 }), undefined);
  assert.deepEqual(WEBVIEW_REQUESTS.stop.result(undefined), {}, 'an empty result may be left out');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION as v, WEBVIEW_REQUESTS, parseWebviewToHost } from '../../../src/core/protocol';
import { fileBytes, safeFileName } from '../../../src/extension/saveFile';

test('saveFile: the proposed name becomes a plain file name with the MIME type\'s extension', () => {
  assert.equal(safeFileName('run-testAccuracy.png', 'image/png'), 'run-testAccuracy.png');
  assert.equal(safeFileName('../../etc/passwd', 'text/csv'), 'passwd.csv', 'no folders');
  assert.equal(safeFileName('C:\\Users\\x\\evil.svg', 'image/svg+xml'), 'evil.svg');
  assert.equal(safeFileName('.bashrc', 'text/csv'), 'bashrc.csv', 'no hidden files');
  assert.equal(safeFileName('a<b>:c|d?.csv', 'text/csv'), 'a_b_c_d_.csv');
  assert.equal(safeFileName('chart.PNG', 'image/png'), 'chart.png');
  assert.equal(safeFileName('x.png', 'image/svg+xml'), 'x.png.svg', 'the extension follows the MIME type');
  assert.equal(safeFileName('///', 'image/png'), 'chart.png');
  assert.ok(safeFileName('a'.repeat(190), 'text/csv').length <= 124);
});

test('saveFile: base64 for PNG, UTF-8 for SVG and CSV; malformed args are refused before any handler runs', () => {
  assert.deepEqual([...fileBytes({ name: 'a', mime: 'image/png', data: Buffer.from([137, 80, 78, 71]).toString('base64') })], [137, 80, 78, 71]);
  assert.equal(fileBytes({ name: 'a', mime: 'text/csv', data: 'σ,1\n' }).toString('utf8'), 'σ,1\n');
  const args = WEBVIEW_REQUESTS.saveFile.args;
  assert.deepEqual(args({ name: 'a.csv', mime: 'text/csv', data: 'x' }), { name: 'a.csv', mime: 'text/csv', data: 'x' });
  assert.equal(args({ name: 'a.exe', mime: 'application/x-msdownload', data: 'x' }), undefined, 'only the panel\'s kinds');
  assert.equal(args({ name: 'a.png', mime: 'image/png', data: 'not base64!' }), undefined);
  assert.equal(args({ name: '', mime: 'text/csv', data: 'x' }), undefined);
  assert.equal(args({ name: 'a', mime: 'text/csv' }), undefined);
  assert.equal(typeof parseWebviewToHost({ type: 'request', v, requestId: 1, action: 'saveFile', args: { name: 'a', mime: 'text/csv', data: 5 } }), 'string');
  assert.equal(WEBVIEW_REQUESTS.saveFile.result({ path: '' })?.path, '', 'cancelled');
});

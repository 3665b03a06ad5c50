/** Arm colours at scale: deterministic, grouped, and no two arms of a 200-arm run alike. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { armStyles } from '../../webview/state/armStyles';
import { syntheticArms } from '../fixtures/webview/synthetic';

const PALETTE = ['#1', '#2', '#3', '#4', '#5', '#6', '#7', '#8'];

test('up to the palette every arm has its own theme colour; beyond, hue per group and no two arms share colour + dash', () => {
  const few = syntheticArms(6, [1]);
  assert.deepEqual(armStyles(few, PALETTE, false).map((s) => s.color), PALETTE.slice(0, 6));
  for (const dark of [false, true]) {
    const arms = syntheticArms(200, [1]);
    const styles = armStyles(arms, PALETTE, dark);
    const keys = styles.map((s) => `${s.color}|${s.dash.join(',')}`);
    assert.equal(new Set(keys).size, 200, 'all distinct');
    assert.deepEqual(armStyles(arms, PALETTE, dark), styles, 'deterministic');
    const hue = (c: string): string => /hsl\((\d+)/.exec(c)![1]!;
    arms.forEach((a, i) => arms.forEach((b, j) => {
      if (j > i) assert.equal(hue(styles[i]!.color) === hue(styles[j]!.color), a.activationId === b.activationId);
    }));
  }
});

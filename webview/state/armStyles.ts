/**
 * Arm colours and dashes at any run size. Up to the palette's length every arm gets its own
 * theme colour (the VS Code chart colours, as before). Beyond that, colour follows the group
 * (the activation id, what a sweep varies least): one hue per group, evenly around the
 * wheel, and within a group the swept values step through dash patterns and lightness, so
 * no two arms share colour and dash and an arm's family is visible at a glance.
 * Pure and deterministic: the same arms in the same order give the same styles.
 */
export interface ArmStyle { color: string; dash: number[]; group: string }

export const DASHES: readonly number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

export function armStyles(arms: readonly { armId: string; activationId: string }[], palette: readonly string[], dark: boolean): ArmStyle[] {
  if (arms.length <= palette.length) return arms.map((a, i) => ({ color: palette[i]!, dash: [], group: a.activationId }));
  const groups = [...new Set(arms.map((a) => a.activationId))];
  const sizes = new Map<string, number>();
  for (const a of arms) sizes.set(a.activationId, (sizes.get(a.activationId) ?? 0) + 1);
  const seen = new Map<string, number>();
  return arms.map((a) => {
    const g = groups.indexOf(a.activationId);
    const k = seen.get(a.activationId) ?? 0;
    seen.set(a.activationId, k + 1);
    const n = sizes.get(a.activationId)!;
    // Hues 0–360 evenly, starting at blue; a second lap of groups is shifted half a step.
    const hue = Math.round((210 + (360 / Math.min(groups.length, 10)) * (g % 10) + (g >= 10 ? 18 : 0)) % 360);
    const levels = Math.max(1, Math.ceil(n / DASHES.length));
    const level = Math.floor(k / DASHES.length);
    const [lo, hi] = dark ? [52, 80] : [28, 58];
    const light = levels === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * level) / (levels - 1);
    return { color: `hsl(${hue}, ${dark ? 70 : 75}%, ${light.toFixed(1)}%)`, dash: DASHES[k % DASHES.length]!, group: a.activationId };
  });
}

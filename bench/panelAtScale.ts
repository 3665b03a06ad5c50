/**
 * The "Panel at scale" section of docs/PERFORMANCE.md: hand-kept text (bench/run.ts writes the
 * rest of the file and appends this), with the figures test/webview/scale.test.ts measured.
 * Refresh the figures by running that test and copying test-results/scale-figures.json here.
 */
export const PANEL_AT_SCALE = `## Panel at scale (report.html of synthetic runs, issue 19)

Measured by \`node --import tsx --test test/webview/scale.test.ts\` (headless Chromium,
1280 × 1000, light theme) on report.html of synthetic runs with the real event shapes
(test/fixtures/webview/synthetic.ts: jobStart, 20 step events per epoch, epoch events, a probe
with per-unit fracPositive at init and after every epoch, jobEnd). First render: navigation →
the app's \`body[data-rendered]\` (every event folded, the selected tab drawn). Longest task:
PerformanceObserver 'longtask' over the load and all controls. Controls: the change → the next
full draw. **Machine: the shared 2-core box at load average 10–15 (six agents building)**: the
same page is several times faster on an idle machine, and the issue's own "before" figures
(below) were taken on a quieter one, so compare sizes exactly and times with care.

| run | report.html before → after | first render (issue: before) | longest task (issue: before) | show seeds | hide seeds | log scale | band ± std | band none | hide an arm | dead-units tab, first visit (issue: before) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| 6 × 3 × 20 | 2 MB → 2.3 MB | 1.9 s (1.1 s) | 585 ms (0.5 s) | 174 ms | 160 ms | 203 ms | 160 ms | 303 ms | 133 ms | 12 ms (0.1 s) |
| 50 × 5 × 200 | 179 MB → 7.1 MB | 5.8 s (10–15 s) | 985 ms (3.5–5.5 s) | 209 ms | 189 ms | 186 ms | 352 ms | 370 ms | 385 ms | 22 ms (0.7 s) |
| 200 × 3 × 50 | 110 MB → 6.5 MB | 9.5 s (21–22 s) | 1,792 ms (11.7–13.7 s) | 394 ms | 468 ms | 591 ms | 741 ms | 1,352 ms | 636 ms | 18 ms (1–2.6 s) |
| 200 × 5 × 200 | not buildable (the event list as JSON passes V8's 512 MB string limit) → 19.6 MB | 11.0 s | 1,032 ms | 896 ms | 843 ms | 875 ms | 1,044 ms | 942 ms | 812 ms | 24 ms |

(One run of \`npm test\` at 13:08 UTC, load average ~12, the test sharing the machine with the rest of the suite
and five other agents; earlier runs of the same code at load 10–15 spread ±50 % around these: the next run gave 16.3 s first render, 1,230 ms longest task and 0.8–1.2 s controls at 200 × 5 × 200.)

Goals at 200 × 5 × 200: report < 20 MB — **met** (19.6 MB). First render ≤ 2 s, no task over
200 ms, every control ≤ 100 ms — **not met** on this machine. The test asserts the goals
exactly with \`ACTLAB_STRICT_TIMING=1\`; by default it asserts the size and relaxed bounds (12 × the first-render
goal, 8 × the long-task goal, 15 × the control goal) that this machine meets and a return to the issue's figures would not.

What the report embeds (src/report/pack.ts): run and job events as before; per job the
epoch, step and probe events as columns (numbers to 4 significant digits, counters
delta-coded, dead fractions as unit counts), every epoch and probe value (the report's
"Export CSV" rebuilds the full per-epoch CSV from them), at most 200 000 step events over the
run (200–2,000 per job), and the per-unit fracPositive of 6 probe epochs per job. The packed
data sit in chunks of 10 jobs, each parsed and decoded in its own task behind a progress bar;
runs under 50,000 events stay a plain event list.

Where the time goes now (CPU profiles of the 200 × 5 × 200 load): folding 600,000 events into
the run model (~2.7 s of slices, none long), Chart.js updating 4 curve charts × 200 datasets ×
200 points on every control (point elements are made per point even with markers off), and one
long task when the curves view first draws all four charts. Next steps: draw only the visible
tab's charts and one chart per task; below a chart's pixel width, pre-decimate per arm instead
of handing Chart.js every point; fold the report's epoch columns straight into the aggregates
instead of through events.
`;

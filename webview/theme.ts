/**
 * Colours come from CSS custom properties: in VS Code the --vscode-* variables of the current
 * theme (media/panel.css maps them to --actlab-* with light/dark fallbacks for the static
 * report). VS Code swaps the body class (vscode-light / vscode-dark / vscode-high-contrast) and
 * the variables on a theme change; we re-read them then and recolour the charts in place.
 */
export interface Theme {
  fg: string;
  muted: string;
  grid: string;
  bg: string;
  font: string;
  /** One colour per arm, in config order (cycled). */
  palette: string[];
  /** A dark background (arm colours at scale pick lighter shades). */
  dark: boolean;
}

const PALETTE_VARS = ['blue', 'orange', 'green', 'red', 'purple', 'yellow', 'teal', 'pink'];

export function readTheme(root: Element = document.body): Theme {
  const cs = getComputedStyle(root);
  const v = (name: string, fallback: string): string => cs.getPropertyValue(name).trim() || fallback;
  const fg = v('--actlab-fg', '#1f2328');
  const bg = v('--actlab-bg', '#ffffff');
  const [r, g, b] = rgba(bg);
  return {
    dark: 0.2126 * r + 0.7152 * g + 0.0722 * b < 128,
    fg,
    muted: v('--actlab-muted', '#6e7781'),
    // Gridlines: the foreground, faint — VS Code has no chart-grid colour of its own.
    grid: v('--actlab-grid', '') || withAlpha(fg, 0.12),
    bg,
    font: v('--actlab-font', 'system-ui, sans-serif'),
    palette: PALETTE_VARS.map((c, i) => v(`--actlab-${c}`, ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#bcbd22', '#17becf', '#e377c2'][i]!)),
  };
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour → [r, g, b, a] (0–255, alpha 0–1), normalised by the canvas itself. */
export function rgba(color: string): [number, number, number, number] {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return [128, 128, 128, 1];
  probe.fillStyle = '#000';
  probe.fillStyle = color;
  const s = String(probe.fillStyle);
  if (s.startsWith('#')) {
    const n = parseInt(s.slice(1, 7), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const m = /rgba?\(([^)]+)\)/.exec(s);
  const parts = m ? m[1]!.split(',').map((p) => parseFloat(p)) : [128, 128, 128, 1];
  return [parts[0] ?? 128, parts[1] ?? 128, parts[2] ?? 128, parts[3] ?? 1];
}

export function withAlpha(color: string, alpha: number): string {
  const [r, g, b] = rgba(color);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Calls `onChange` after VS Code switches theme (body class) or the OS scheme changes (static report). */
export function watchTheme(onChange: () => void): () => void {
  const obs = new MutationObserver(() => onChange());
  obs.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
  mq?.addEventListener('change', onChange);
  return () => { obs.disconnect(); mq?.removeEventListener('change', onChange); };
}

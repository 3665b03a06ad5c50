/**
 * The one HTML page of the results panel: the VS Code webview (script and CSS by webview URI)
 * and the static report.html (script, CSS and run data inlined) share it. No `vscode` import:
 * the extension passes in its webview's cspSource and URIs.
 *
 * CSP: nothing but our own nonce'd script runs; no 'unsafe-eval', no 'unsafe-inline'.
 * Chart.js 4 injects no stylesheet and sizes canvases through the CSSOM (element.style), which
 * CSP does not restrict; @vscode-elements styles via adoptedStyleSheets, also outside CSP.
 */
import type { ResolvedConfig } from '../core/config';
import type { ActlabEvent } from '../core/protocol';

export interface PanelHtmlOptions {
  /** Webview URI of dist/webview.js (VS Code panel). */
  scriptSrc?: string;
  /** The bundle's text (static report). */
  inlineScript?: string;
  /** webview.cspSource (VS Code panel). */
  cspSource?: string;
  nonce: string;
  /** Webview URI of media/panel.css. */
  styleHref?: string;
  inlineStyle?: string;
  /** Embedded run data (static report): the webview reads it instead of waiting for messages. */
  initialData?: { config: ResolvedConfig; events: ActlabEvent[]; runId: string };
  /**
   * The run's bulk events in packed chunks (src/report/pack.ts), one
   * <script type="application/json" class="actlab-packed"> each: the page parses and decodes
   * them one task at a time, so no single JSON.parse of a large report blocks it.
   */
  packedChunks?: readonly unknown[];
  title?: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * JSON that is safe inside <script type="application/json">: '<' is written as \u003c, so no
 * '</script>' or '<!--' can end or confuse the element; U+2028/9 are escaped for old parsers.
 * Non-finite numbers become null, as in events.jsonl (the webview reads null as NaN).
 */
export function embedJson(data: unknown): string {
  return JSON.stringify(data, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))
    .replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * Script text that is safe inside <script>: the HTML parser ends the element at the first
 * '</script' and treats '<!--' followed by '<script' specially. Both only appear inside
 * string or regex literals of a bundle, where '\/' and '\x3c' mean the same characters.
 */
export function escapeInlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '\\x3c!--');
}

export function renderPanelHtml(opts: PanelHtmlOptions): string {
  const n = opts.nonce;
  const src = opts.cspSource ? `${opts.cspSource} ` : '';
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${n}'`,
    `style-src ${src}'nonce-${n}'`,
    `img-src ${src}data:`,
    `font-src ${opts.cspSource ?? "'none'"}`,
  ].join('; ');
  const style = opts.inlineStyle !== undefined
    ? `<style nonce="${n}">${opts.inlineStyle.replace(/<\/(style)/gi, '<\\/$1')}</style>`
    : opts.styleHref ? `<link rel="stylesheet" nonce="${n}" href="${escapeHtml(opts.styleHref)}">` : '';
  const data = opts.initialData
    ? `<script type="application/json" id="actlab-data">${embedJson({
      runId: opts.initialData.runId, config: opts.initialData.config, events: opts.initialData.events,
    })}</script>`
    : '';
  const packed = (opts.packedChunks ?? []).map((c) => `<script type="application/json" class="actlab-packed">${embedJson(c)}</script>`).join('\n');
  const script = opts.inlineScript !== undefined
    ? `<script nonce="${n}">${escapeInlineScript(opts.inlineScript)}</script>`
    : opts.scriptSrc ? `<script nonce="${n}" src="${escapeHtml(opts.scriptSrc)}"></script>` : '';
  const title = escapeHtml(opts.title ?? opts.initialData?.config.name ?? 'Activation Lab');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${style}
</head>
<body>
<div id="app"></div>
${data}
${packed}
${script}
</body>
</html>
`;
}

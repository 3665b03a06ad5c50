/**
 * Registers the @vscode-elements/elements web components the panel uses — the maintained
 * successor of the archived @vscode/webview-ui-toolkit: native-looking VS Code buttons, selects,
 * checkboxes, tabs and tables (Lit, styles via adoptedStyleSheets, so no inline styles).
 * Imported by the entry only: defining custom elements needs a browser, and the view registry
 * (and so viewState.ts) must stay importable in Node tests.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';

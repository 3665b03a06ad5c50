/**
 * The top bar: run name, status line, last warning, and the actions (Stop, Export CSV, Open
 * config, Open report). Stop shows while the run is live; Open report once report.html exists.
 */
import { eventsToCsv } from '../../src/core/csv';
import type { Host } from '../host';
import { allEvents } from '../state/packedFold';
import type { RunModel } from '../state/runModel';
import { button } from './controls';
import { el } from './dom';
import { download } from './save';
import { statusText } from './statusLine';

export interface Header { update(m: RunModel): void }

export function buildHeader(root: HTMLElement, host: Host, model: RunModel): Header {
  const top = root.appendChild(el('header', 'topbar'));
  const titles = top.appendChild(el('div', 'titles'));
  titles.appendChild(el('h1', '', model.config.name));
  const status = titles.appendChild(el('div', 'status-line'));
  status.id = 'status-line';
  const logLine = titles.appendChild(el('div', 'log-line'));
  logLine.id = 'log-line';
  const actions = top.appendChild(el('div', 'actions'));
  const fail = (e: unknown): void => { logLine.textContent = (e as Error).message; };
  let stop: HTMLElement | undefined;
  let report: HTMLElement | undefined;
  if (host.mode === 'vscode') {
    stop = button(actions, 'Stop', () => { stop?.setAttribute('disabled', ''); host.request('stop').catch(fail); }, { id: 'btn-stop' });
    stop.hidden = !model.live;
  }
  button(actions, 'Export CSV', () => {
    if (host.mode === 'vscode') host.request('exportCsv').catch(fail);
    else download(`${model.runId || 'run'}.csv`, 'text/csv', eventsToCsv(model.config, allEvents(model)));
  }, { id: 'btn-export', secondary: true });
  if (host.mode === 'vscode') {
    button(actions, 'Open config', () => { host.request('openConfig').catch(fail); }, { id: 'btn-config', secondary: true });
    // report.html is written when the run ends.
    report = button(actions, 'Open report', () => { host.request('openReport').catch(fail); }, { id: 'btn-report', secondary: true });
    report.hidden = model.live;
  }
  return {
    update(m) {
      status.textContent = statusText(m);
      const last = m.logs[m.logs.length - 1];
      logLine.textContent = last ? `${last.level}: ${last.jobId ? `${last.jobId}: ` : ''}${last.message}` : '';
      logLine.className = `log-line ${last?.level ?? ''}`;
      if (stop) stop.hidden = !m.live;
      if (report) report.hidden = m.live;
    },
  };
}

/** Entry of the results panel (VS Code webview) and of the static report.html. */
import { startApp } from './app';

startApp();

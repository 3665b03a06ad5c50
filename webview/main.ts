/** Entry of the results panel (VS Code webview) and of the static report.html. */
import './components/elements';
import { startApp } from './app';

startApp();

// The panel's entry point (bundled to dist/webview.js, with its CSS to dist/webview.css).
import './styles.css';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './app';
import './reward-chart';
import './tree-view';
import './virtual-list';
import { PanelStore } from './store';
import { vscodeApi } from './vscode-api';

const store = new PanelStore(vscodeApi());
window.addEventListener('message', (event: MessageEvent<unknown>) => store.receive(event.data));
const app = document.querySelector('toa-app') ?? document.body.appendChild(document.createElement('toa-app'));
app.attach(store);
// Last: the host answers `ready` with the snapshot, and holds everything else until then.
// It names the prompt the page shows, whose tree then comes with the snapshot.
store.post(store.ui.promptId === null ? { type: 'ready' } : { type: 'ready', promptId: store.ui.promptId });

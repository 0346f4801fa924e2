/**
 * The TOA Studio panel, host side. One `PanelController` per extension (a singleton) owns the
 * panel's state and at most one webview panel of type `toaStudio.panel`.
 *
 * API for the rest of the extension:
 *
 *   // activate(): once, so a panel open before a window reload comes back
 *   context.subscriptions.push(registerPanelSerializer(context));
 *
 *   const panel = PanelController.createOrShow(context);  // open or reveal (command toaStudio.openPanel)
 *   const panel = PanelController.get(context);           // the singleton, without opening anything
 *   panel.pushEvent(event);       // every RunEvent of a run, in order; batched to the webview (<= 1 message / 100 ms)
 *   panel.post(message);          // any HostToWebview: auto-accept's prompt-status, notices,
 *                                 // select-prompt (toaStudio.showTree); state is kept even while no panel is open
 *   panel.postDecision(message);  // a prompt-status after the user's own curation: saved at once
 *   panel.configure({ autoAcceptAbove, outputs, endpoints });  // settings the panel displays
 *   panel.onDidReceiveMessage((m: PanelRequest) => ...);  // accept / reject / preference / set-auto-accept / cancel,
 *                                 // validated with isWebviewToHost; `ready`, `tree-request` and `show-strategy` are handled here
 *   panel.beginCompare();         // before a comparison's runs: each is kept for showStrategy,
 *   panel.endCompare(rows);       // and after them (rows [] if it failed): the Compare tab's rows
 *   panel.showStrategy(strategy); // show one strategy's run of the last comparison (false if not held)
 *   panel.snapshot                // what the panel shows (PanelSnapshot), e.g. to look up a candidate's text
 *
 * Messages wait until the webview posts `ready`; it then receives the snapshot, with the trees
 * of the prompts on screen and being searched, the others on request (see PanelChannel). The webview keeps no context while hidden (retainContextWhenHidden is false): it
 * reloads when shown again and restores its own UI state through getState/setState.
 * The last run's snapshot is kept in workspace state, so a reloaded window shows it again.
 */
import * as vscode from 'vscode';
import type { RunEvent } from '../../shared/events';
import type { CompareRow, HostToWebview, PanelEvent, PanelSettings, PanelSnapshot, WebviewToHost } from '../../shared/protocol';
import type { StrategyName } from '../../shared/tree';
import { DisposableStore } from './disposables';
import { createNonce, panelHtml } from './html';
import { PanelChannel, persistableSnapshot, restoredSnapshot } from './panel-channel';
import { SnapshotSaver } from './snapshot-saver';

const PANEL_VIEW_TYPE = 'toaStudio.panel';
const SNAPSHOT_KEY = 'toaStudio.panel.snapshot';
/** Trees kept across a window reload (the trace JSONL holds them all). */
const PERSISTED_TREES = 20;
/** Prompts listed across a window reload, the newest (about 200 KB); the others are counted only. */
const PERSISTED_PROMPTS = 1000;

/** What the panel asks of the rest of the extension (the panel answers the other messages itself). */
export type PanelRequest = Exclude<WebviewToHost, { type: 'ready' | 'tree-request' | 'show-strategy' }>;

export class PanelController implements vscode.Disposable {
  private static instance: PanelController | undefined;

  private readonly channel: PanelChannel;
  private readonly disposables = new DisposableStore();
  private readonly messages = new vscode.EventEmitter<PanelRequest>();
  /** Disposables of the current webview panel only; drained when it closes. */
  private panelDisposables: DisposableStore | undefined;
  private webviewPanel: vscode.WebviewPanel | undefined;
  private readonly saver = new SnapshotSaver(() => void this.context.workspaceState.update(SNAPSHOT_KEY, persistableSnapshot(this.channel.snapshot, PERSISTED_TREES, PERSISTED_PROMPTS)));

  readonly onDidReceiveMessage = this.messages.event;

  private constructor(private readonly context: vscode.ExtensionContext) {
    const saved = context.workspaceState.get<PanelSnapshot>(SNAPSHOT_KEY);
    this.channel = new PanelChannel(saved ? { snapshot: restoredSnapshot(saved) } : {});
    this.disposables.add(this.messages);
    this.disposables.add({ dispose: () => this.channel.dispose() });
    this.disposables.add({ dispose: () => this.panelDisposables?.dispose() });
    context.subscriptions.push(this);
  }

  /** The singleton, created on first use; opens nothing. */
  static get(context: vscode.ExtensionContext): PanelController {
    PanelController.instance ??= new PanelController(context);
    return PanelController.instance;
  }

  /** Reveals the panel, creating it beside the active editor if it is not open, and moving it beside that editor if it shares its group. */
  static createOrShow(context: vscode.ExtensionContext, options: { preserveFocus?: boolean } = {}): PanelController {
    const controller = PanelController.get(context);
    if (controller.webviewPanel) {
      // Revealed in its own group, it would hide the editor the user ran it from when that is
      // the editor in front there (a file opened while the panel's group had the focus).
      const editorColumn = vscode.window.activeTextEditor?.viewColumn;
      const behind = editorColumn !== undefined && editorColumn === controller.webviewPanel.viewColumn;
      controller.webviewPanel.reveal(behind ? vscode.ViewColumn.Beside : undefined, options.preserveFocus);
    } else {
      const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
      const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'TOA Studio', { viewColumn: column, preserveFocus: options.preserveFocus ?? false }, webviewOptions(context));
      controller.attach(panel);
    }
    return controller;
  }

  get snapshot(): PanelSnapshot {
    return this.channel.snapshot;
  }

  /** The run shown, or a held run of the last comparison (see PanelChannel.snapshotOf). */
  snapshotOf(runId: string): PanelSnapshot | undefined {
    return this.channel.snapshotOf(runId);
  }

  get isOpen(): boolean {
    return this.webviewPanel !== undefined;
  }

  /** The editor group the panel is in, if it is open. */
  get viewColumn(): vscode.ViewColumn | undefined {
    return this.webviewPanel?.viewColumn;
  }

  /** A run's event, or a panel's own (Show tree's prompt-shown). */
  pushEvent(event: RunEvent | PanelEvent): void {
    this.channel.pushEvent(event);
    // Saved from the run's start: a window reloaded mid-run then shows that run, its unfinished
    // prompts marked interrupted (restoredSnapshot), not the run before it.
    this.saver.onEvent(event);
  }

  post(message: HostToWebview): void {
    this.channel.post(message);
    if (message.type === 'prompt-status' || message.type === 'compare') this.saver.saveSoon();
  }

  /**
   * A prompt's status after the user's own decision (accept, edit, reject, pair, or why it was
   * not saved; or that decision shown again by Show tree), saved at once: a save left pending as
   * the window reloads does not land, and the panel would show the prompt undecided though its
   * rows are written. Decisions come at a person's pace, unlike auto-accept's statuses, which
   * post() coalesces.
   */
  postDecision(message: Extract<HostToWebview, { type: 'prompt-status' }>): void {
    this.channel.post(message);
    this.saver.saveNow();
  }

  beginCompare(): void {
    this.channel.beginCompare();
  }

  endCompare(rows: CompareRow[]): void {
    this.channel.endCompare(rows);
    this.saver.saveSoon();
  }

  /** Shows a strategy's run of the last comparison in the Run tab; says so in the panel when it is not held. */
  showStrategy(strategy: StrategyName): boolean {
    const shown = this.channel.showStrategy(strategy);
    // The user's click: saved at once, like a decision, so a reload right after keeps it.
    if (shown) this.saver.saveNow();
    return shown;
  }

  /** Why a compared strategy's run (or, without `strategy`, any) cannot be shown. */
  whyNotHeld(strategy?: StrategyName): string {
    return this.channel.whyNotHeld(strategy);
  }

  configure(settings: PanelSettings): void {
    this.channel.configure(settings);
  }

  /** Takes over a webview panel (a new one, or one VS Code restored after a reload). */
  attach(panel: vscode.WebviewPanel): void {
    const previous = this.webviewPanel;
    this.panelDisposables?.dispose();
    const owned = new DisposableStore();
    this.panelDisposables = owned;
    this.webviewPanel = panel;
    panel.iconPath = { light: vscode.Uri.joinPath(this.context.extensionUri, 'media', 'toa-light.svg'), dark: vscode.Uri.joinPath(this.context.extensionUri, 'media', 'toa-dark.svg') };
    panel.webview.options = webviewOptions(this.context);
    const send = (message: HostToWebview): void => void panel.webview.postMessage(message);
    this.channel.attach(send);
    owned.add(panel.webview.onDidReceiveMessage((raw: unknown) => {
      const message = this.channel.receive(raw);
      if (message?.type === 'show-strategy') return void this.showStrategy(message.strategy);
      if (message?.type === 'set-auto-accept') this.saver.saveNow();
      if (message) this.messages.fire(message);
    }));
    // A hidden webview loses its page; it posts `ready` again once visible.
    owned.add(panel.onDidChangeViewState(({ webviewPanel }) => {
      if (!webviewPanel.visible) this.channel.attach(send);
    }));
    owned.add(panel.onDidDispose(() => {
      if (this.panelDisposables !== owned) return;
      this.webviewPanel = undefined;
      this.panelDisposables = undefined;
      this.channel.detach();
      owned.dispose();
    }));
    panel.webview.html = this.html(panel.webview);
    if (previous !== panel) previous?.dispose();
  }

  dispose(): void {
    this.saver.saveNow();
    const panel = this.webviewPanel;
    this.webviewPanel = undefined;
    this.disposables.dispose();
    panel?.dispose();
    if (PanelController.instance === this) PanelController.instance = undefined;
  }

  private html(webview: vscode.Webview): string {
    const asset = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...parts)).toString();
    return panelHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: asset('dist', 'webview.js'),
      styleUri: asset('dist', 'webview.css'),
      codiconUri: asset('dist', 'codicons', 'codicon.css'),
    });
  }
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')],
  };
}

/** Brings a panel that was open before a window reload back under the singleton. */
export function registerPanelSerializer(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
      PanelController.get(context).attach(panel);
    },
  });
}

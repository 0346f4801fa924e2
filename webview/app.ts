import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement } from 'lit/decorators.js';
import { Actions } from './actions';
import { runAnnouncement } from './announcements';
import type { PanelStore } from './store';
import { TABS } from './ui-state';
import { compareTab } from './views/compare-views';
import { onTabSpace, type ViewContext } from './views/context';
import { promptTab } from './views/prompt-views';
import { runHeader, runTab, runWarnings } from './views/run-views';

/**
 * <toa-app>: the whole panel. Renders from the store once per animation frame in which the
 * store changed; only the open tab is rendered. Light DOM, so one stylesheet themes it all.
 */
@customElement('toa-app')
export class ToaApp extends LitElement {
  private store: PanelStore | undefined;
  private actions: Actions | undefined;
  private unsubscribe: (() => void) | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  attach(store: PanelStore): void {
    this.unsubscribe?.();
    this.store = store;
    this.actions = new Actions(store);
    this.unsubscribe = store.subscribe(() => this.requestUpdate());
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  /** Whether the keyboard was in the panel before this render: see `updated`. */
  private hadFocus = false;

  protected override willUpdate(): void {
    this.hadFocus = document.hasFocus() && this.contains(document.activeElement);
  }

  /**
   * Focus goes where the store asked, so keyboard users are not left on the page. A render that
   * removed the focused control unasked (a tab the host switched, a run that ended under Cancel,
   * a dismissed notice) hands the focus to the open tab's header, where Tab goes on into it.
   */
  protected override updated(): void {
    const store = this.store;
    if (!store) return;
    const selectors = store.focusRequest ?? (this.hadFocus && !this.contains(document.activeElement) ? [`vscode-tab-header.tab-${store.ui.tab}`] : []);
    store.focusRequest = null;
    for (const selector of selectors) {
      const target = this.querySelector<HTMLElement & { updateComplete?: Promise<unknown> }>(selector);
      // After the target's own update: a tab header never opened before gets its tabindex
      // (without which it takes no focus) only when it renders as the open tab.
      if (target && !target.hasAttribute('disabled')) return void (target.updateComplete ?? Promise.resolve()).then(() => target.focus());
    }
  }

  protected override render(): TemplateResult {
    const store = this.store;
    if (!store || !this.actions) return html``;
    const ctx: ViewContext = { store, snapshot: store.snapshot, ui: store.ui, actions: this.actions };
    const tab = TABS.indexOf(ctx.ui.tab);
    const compareRows = ctx.snapshot.compare?.length ?? 0;
    // The header is the banner; the rest the main landmark, which also holds the live regions
    // that announce the run's progress and news: the host's answers to decisions, new warnings (see announcements.ts).
    return html`${runHeader(ctx)}
      <main class="panel-main">
      ${store.notice ? html`<div class=${`notice ${store.notice.level}`} role=${store.notice.level === 'error' ? 'alert' : nothing}>
        <span class=${`codicon ${store.notice.level === 'error' ? 'codicon-error' : 'codicon-info'}`} aria-hidden="true"></span>
        <span class="notice-text">${store.notice.message}</span>
        <button class="icon-button" title="Dismiss" aria-label="Dismiss" @click=${() => store.dismissNotice()}><span class="codicon codicon-close" aria-hidden="true"></span></button>
      </div>` : nothing}
      ${runWarnings(ctx)}
      <vscode-tabs class="main-tabs" panel selected-index=${tab}
          @vsc-tabs-select=${(e: CustomEvent<{ selectedIndex: number }>) => this.actions?.showTab(TABS[e.detail.selectedIndex] ?? 'run')}
          @keydown=${onTabSpace((i) => this.actions?.showTab(TABS[i] ?? 'run'))}>
        <vscode-tab-header slot="header" class="tab-run">Run</vscode-tab-header>
        <vscode-tab-panel>${ctx.ui.tab === 'run' ? runTab(ctx) : nothing}</vscode-tab-panel>
        <vscode-tab-header slot="header" class="tab-prompt">Prompt</vscode-tab-header>
        <vscode-tab-panel>${ctx.ui.tab === 'prompt' ? promptTab(ctx) : nothing}</vscode-tab-panel>
        <vscode-tab-header slot="header" class="tab-compare">Compare${compareRows ? html` <vscode-badge variant="counter">${compareRows}</vscode-badge>` : nothing}</vscode-tab-header>
        <vscode-tab-panel>${ctx.ui.tab === 'compare' ? compareTab(ctx) : nothing}</vscode-tab-panel>
      </vscode-tabs>
      <div class="visually-hidden" role="status" data-announce="run">${runAnnouncement(ctx.snapshot)}</div>
      <div class="visually-hidden" role="status" data-announce="news">${store.announcement}</div>
      </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'toa-app': ToaApp;
  }
}

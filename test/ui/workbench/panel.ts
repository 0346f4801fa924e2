import type { FrameLocator, Locator } from 'playwright-core';

/**
 * The TOA Studio panel as a user sees it inside the workbench: the webview's inner document
 * (page.frameLocator('iframe.webview.ready').frameLocator('#active-frame')). Selectors follow
 * webview/views/*.ts.
 */
export class PanelDriver {
  constructor(readonly doc: FrameLocator) {}

  /** The panel app is up (its tabs are drawn). */
  async ready(timeout = 60_000): Promise<void> {
    await this.doc.locator('vscode-tabs.main-tabs').waitFor({ state: 'visible', timeout });
  }

  promptRow(promptId: string): Locator {
    return this.doc.locator(`.prompt-row[data-prompt="${promptId}"]`);
  }

  /** Drawn tree nodes (SVG groups) of the prompt shown in the Prompt tab. */
  treeNodes(selector = ''): Locator {
    return this.doc.locator(`toa-tree g[data-id]${selector}`);
  }

  async showTab(tab: 'run' | 'prompt' | 'compare'): Promise<void> {
    await this.doc.locator(`vscode-tab-header.tab-${tab}`).click();
  }

  /** Waits until every prompt's row in the Run tab reaches `status` (e.g. done, accepted). */
  async waitForStatus(promptIds: readonly string[], status: string, timeout = 120_000): Promise<void> {
    await this.showTab('run');
    for (const id of promptIds) await this.promptRow(id).locator(`span.status.status-${status}`).waitFor({ state: 'visible', timeout });
  }

  /** Opens a prompt's tree from the Run tab's list and waits for its nodes. */
  async openPrompt(promptId: string): Promise<void> {
    await this.showTab('run');
    await this.promptRow(promptId).click();
    await this.treeNodes().first().waitFor({ state: 'visible' });
  }

  /** The id of the node the tree marks as the best answer. */
  async bestNodeId(): Promise<number> {
    const best = this.treeNodes('.response.best');
    await best.waitFor({ state: 'attached' });
    return Number(await best.getAttribute('data-id'));
  }

  /** Clicks a node in the tree and waits for its detail pane. */
  async selectNode(nodeId: number): Promise<Locator> {
    await this.treeNodes(`[data-id="${nodeId}"]`).click();
    const detail = this.doc.locator(`.detail[data-node="${nodeId}"]`);
    await detail.waitFor({ state: 'visible' });
    return detail;
  }

  /** Fits the tree to the width of its card (the toolbar's "Fit width"). */
  async fitTree(): Promise<void> {
    await this.doc.locator('.tree-toolbar button[title="Fit width"]').click();
  }
}

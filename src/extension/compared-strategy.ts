import * as vscode from 'vscode';
import type { CompareRow } from '../shared/protocol';
import { STRATEGIES, type StrategyName } from '../shared/tree';
import { comparedStrategyItems } from './compared-strategy-items';
import type { PanelController } from './panel/panel-controller';
import { showInformation } from './notify';

/**
 * toaStudio.showComparedStrategy: shows one strategy's run of the last comparison in the panel
 * (its trees, agents, rewards and warnings), so its answers can be read and curated. The Compare tab's
 * rows do the same; this is the palette's and the keyboard's way. `strategy` skips the pick.
 */
export async function showComparedStrategy(panel: () => PanelController, showPanel: () => PanelController, strategy?: unknown): Promise<boolean> {
  const controller = panel();
  const { compareViews = [], compare, strategy: shown } = controller.snapshot;
  if (compareViews.length === 0) {
    void showInformation(`TOA Studio: ${controller.whyNotHeld()}`);
    return false;
  }
  const chosen = isStrategy(strategy) ? strategy : await pick(compareViews, compare ?? [], shown);
  return chosen === undefined ? false : showPanel().showStrategy(chosen);
}

async function pick(held: readonly StrategyName[], rows: readonly CompareRow[], shown: StrategyName): Promise<StrategyName | undefined> {
  const items = comparedStrategyItems(held, rows, shown);
  return (await vscode.window.showQuickPick(items, { title: 'TOA Studio: show a compared strategy in the panel', placeHolder: 'Strategy' }))?.strategy;
}

function isStrategy(value: unknown): value is StrategyName {
  return typeof value === 'string' && STRATEGIES.includes(value as StrategyName);
}

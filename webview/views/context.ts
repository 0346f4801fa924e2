import type { PanelSnapshot } from '../../src/shared/protocol';
import type { Actions } from '../actions';
import type { PanelStore } from '../store';
import type { UiState } from '../ui-state';

/** What every view function reads: the store, its current snapshot and UI state, and the actions. */
export interface ViewContext {
  store: PanelStore;
  snapshot: PanelSnapshot;
  ui: UiState;
  actions: Actions;
}

/**
 * A keydown handler for a focusable row that acts like a button: Enter or Space runs `action`.
 * Space would otherwise also scroll the list the row is in.
 */
export function onActivateKey(action: () => void): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    action();
  };
}

/**
 * A keydown handler for a vscode-tabs: Space opens the focused tab, as Enter does (vscode-tabs
 * knows only Enter; the ARIA tabs pattern has both). Tabs nested in a panel are left to their own.
 */
export function onTabSpace(open: (index: number) => void): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.key !== ' ' || !(e.target instanceof Element) || !(e.currentTarget instanceof Element)) return;
    const index = [...e.currentTarget.querySelectorAll(':scope > vscode-tab-header')].indexOf(e.target);
    if (index < 0) return;
    e.preventDefault();
    open(index);
  };
}

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

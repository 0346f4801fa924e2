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

import type { DiffMode } from './text-diff';

/**
 * What the panel remembers about itself (not about the run): the tab, the selection, view
 * options and an unfinished edit. Saved with setState, so it survives the webview being hidden
 * (which destroys its page) and a window reload.
 */

export type TabId = 'run' | 'prompt' | 'compare';
export const TABS: readonly TabId[] = ['run', 'prompt', 'compare'];

type DetailTab = 'detail' | 'candidates';

interface Draft {
  promptId: string;
  nodeId: number;
  text: string;
}

export interface UiState {
  tab: TabId;
  promptId: string | null;
  /** Follow the prompt being searched until the user picks one. */
  follow: boolean;
  nodeId: number | null;
  detailTab: DetailTab;
  showDiff: boolean;
  diffMode: DiffMode;
  showUntried: boolean;
  zoom: number;
  /** Preference pair being assembled for `promptId`. */
  chosen: number | null;
  rejected: number | null;
  draft: Draft | null;
  /** The run the selection (node, pair, draft) belongs to: another run's node ids name other nodes. */
  runId: string | null;
}

function defaultUiState(): UiState {
  return {
    tab: 'run', promptId: null, follow: true, nodeId: null, detailTab: 'detail', showDiff: false, diffMode: 'words',
    showUntried: false, zoom: 1, chosen: null, rejected: null, draft: null, runId: null,
  };
}

export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 2;

/** Reads saved state defensively: an older build may have saved another shape. */
export function readUiState(raw: unknown): UiState {
  const ui = defaultUiState();
  if (typeof raw !== 'object' || raw === null) return ui;
  const r = raw as Record<string, unknown>;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const id = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
  const bool = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);
  if (TABS.includes(r.tab as TabId)) ui.tab = r.tab as TabId;
  ui.promptId = str(r.promptId);
  ui.follow = bool(r.follow, ui.follow);
  ui.nodeId = id(r.nodeId);
  if (r.detailTab === 'detail' || r.detailTab === 'candidates') ui.detailTab = r.detailTab;
  ui.showDiff = bool(r.showDiff, ui.showDiff);
  if (r.diffMode === 'words' || r.diffMode === 'lines') ui.diffMode = r.diffMode;
  ui.showUntried = bool(r.showUntried, ui.showUntried);
  if (typeof r.zoom === 'number' && r.zoom >= MIN_ZOOM && r.zoom <= MAX_ZOOM) ui.zoom = r.zoom;
  ui.runId = str(r.runId);
  ui.chosen = id(r.chosen);
  ui.rejected = id(r.rejected);
  const d = r.draft as Record<string, unknown> | null | undefined;
  if (d && typeof d === 'object' && str(d.promptId) !== null && id(d.nodeId) !== null && typeof d.text === 'string') {
    ui.draft = { promptId: d.promptId as string, nodeId: d.nodeId as number, text: d.text };
  }
  return ui;
}

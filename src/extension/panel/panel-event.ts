import { isDeepStrictEqual } from 'node:util';
import type { RunEvent } from '../../shared/events';
import type { PanelEvent, PanelSnapshot } from '../../shared/protocol';
import { heldTree } from '../../shared/held-trees';

/**
 * The event as the panel gets it, given the snapshot before it (which is what the panel holds,
 * event for event). `prompt-done` carries the core's finished tree, the whole tree again: it goes
 * without it when the tree the snapshot built from the prompt's node-added and play-done is that
 * tree, which it is for a search the panel followed. A tree it does not hold (a prompt the panel
 * joined late), or one that differs, is sent; Show tree's trees come as `prompt-shown`. `best` is cut to what the panel reads: its text is
 * the node's, already in the tree.
 */
export function panelEvent(snapshot: PanelSnapshot, event: RunEvent | PanelEvent): PanelEvent {
  if (event.type !== 'prompt-done' || event.tree === undefined) return event;
  const { promptId, tree, best } = event;
  const slim = { type: 'prompt-done' as const, promptId, best: { nodeId: best.nodeId, reward: best.reward } };
  return isDeepStrictEqual(heldTree(snapshot.trees, promptId), tree) ? slim : { ...slim, tree };
}

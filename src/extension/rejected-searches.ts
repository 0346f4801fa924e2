import type { ShownSearch } from '../shared/protocol';

/** The part of a vscode.Memento this needs (workspace state), so tests can hand in a map. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/** One search of one prompt: its run and its prompt id, as its trace row names them (a shown search whose run is known). */
export type SearchRef = Required<ShownSearch>;

const STATE_KEY = 'toaStudio.rejectedSearches';
/** Searches remembered; the oldest are forgotten first. Each is a run id and a prompt id. */
export const MAX_REJECTED = 2000;

/** What the panel says of a rejected prompt, right after the user rejects it and whenever it shows it again. */
export const REJECTED_REASON = 'rejected: nothing written';

/**
 * The searches the user rejected in the panel. A rejection writes no output row, so without this
 * record a tree shown again from the trace (Show tree, after another run or a window reload)
 * came back as merely done, its Accept open again. Kept in workspace state, by search (run and
 * prompt): the same prompt searched again is a new search, to be decided afresh.
 */
export class RejectedSearches {
  private keys: string[];

  constructor(private readonly state: StateStore) {
    const saved = state.get<unknown>(STATE_KEY);
    this.keys = Array.isArray(saved) ? saved.filter((k): k is string => typeof k === 'string') : [];
  }

  has(search: SearchRef): boolean {
    return this.keys.includes(keyOf(search));
  }

  async add(search: SearchRef): Promise<void> {
    const key = keyOf(search);
    this.keys = [...this.keys.filter((k) => k !== key), key].slice(-MAX_REJECTED);
    await this.state.update(STATE_KEY, this.keys);
  }

  /** Forgets a rejection (the user accepted that search after all). */
  async remove(search: SearchRef): Promise<void> {
    const key = keyOf(search);
    if (!this.keys.includes(key)) return;
    this.keys = this.keys.filter((k) => k !== key);
    await this.state.update(STATE_KEY, this.keys);
  }
}

function keyOf(search: SearchRef): string {
  return JSON.stringify([search.runId, search.promptId]);
}

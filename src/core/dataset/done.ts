import { createHash } from 'node:crypto';
import type { ChatMessage, PromptRow } from '../chat';

/** The id a row gets from its line when it has none of its own (see prompt-row.ts). */
const LINE_ID = /^line-\d+$/;

/**
 * The prompts a trace output already holds, for resume. A prompt counts as done when a trace
 * row has its id AND its conversation: a row whose text was edited since is searched again.
 * A row without an id of its own (`line-<n>`) is matched by its conversation alone, because its
 * id moves whenever a line is added or removed above it; matching by id would skip the new
 * prompt that took over a line number and search an old one twice. A prompt that appears more
 * than once without an id is searched once per appearance, so resume claims one trace row per
 * appearance (`claim`).
 *
 * Conversations are kept as 52-bit digests (SHA-1 prefix): small enough for a 100,000-row
 * resume, and a collision (one in ~10^6 at that size) is needed to skip a prompt wrongly.
 */
export class DonePrompts {
  private readonly byId = new Map<string, number>();
  /**
   * Per conversation: its trace rows, and those of rows without an id (`line-<n>`, the ones
   * `claim` hands out) with how many resume has claimed. A row with an id finds its trace row
   * by id: it must not also use up one an id-less row with the same text needs.
   */
  private readonly byConversation = new Map<number, { rows: number; lineRows: number; claimed: number }>();
  /** Trace rows per config hash: a resume under another config is worth a note. */
  readonly configHashes = new Map<string, number>();
  /** The config hash of each conversation's latest trace row, for `searchedUnder`. */
  private readonly hashOf = new Map<number, string>();

  add(id: string, messages: readonly ChatMessage[], configHash?: string): void {
    this.addKey(id, conversationKey(messages), configHash);
  }

  /** As `add`, with the conversation's key already known (a trace row's `conversation`). */
  addKey(id: string, key: number, configHash?: string): void {
    this.byId.set(id, key);
    const seen = this.byConversation.get(key) ?? { rows: 0, lineRows: 0, claimed: 0 };
    seen.rows++;
    if (LINE_ID.test(id)) seen.lineRows++;
    this.byConversation.set(key, seen);
    if (configHash !== undefined) {
      this.configHashes.set(configHash, (this.configHashes.get(configHash) ?? 0) + 1);
      this.hashOf.set(key, configHash);
    }
  }

  /**
   * How many of `rows` resume will skip as done whose search in the trace another configuration
   * than `current` made (search, agents or reward changed since, or the simulator answered): a
   * user who has just pointed a run at new endpoints must be told. Counted by resume's own rule
   * (`claim`, without claiming), so it is never more than the prompts skipped.
   */
  searchedUnderOther(rows: readonly Pick<PromptRow, 'id' | 'messages'>[], current: string): number {
    const claims = new Map<number, number>();
    let count = 0;
    for (const row of rows) {
      const key = conversationKey(row.messages);
      if (!this.claimable(row.id, key, claims.get(key) ?? 0)) continue;
      if (LINE_ID.test(row.id)) claims.set(key, (claims.get(key) ?? 0) + 1);
      const hash = this.hashOf.get(key);
      if (hash !== undefined && hash !== current) count++;
    }
    return count;
  }

  /** Whether a trace row is the search of `row`. */
  has(row: Pick<PromptRow, 'id' | 'messages'>): boolean {
    const key = conversationKey(row.messages);
    return LINE_ID.test(row.id) ? this.byConversation.has(key) : this.byId.get(row.id) === key;
  }

  /**
   * Resume's question, asked once per input row in order: whether `row` is done. A row without
   * an id takes one of its conversation's trace rows: of two identical prompts with one trace
   * row between them, the first is done and the second is still to search.
   */
  claim(row: Pick<PromptRow, 'id' | 'messages'>): boolean {
    const key = conversationKey(row.messages);
    if (!this.claimable(row.id, key, 0)) return false;
    if (LINE_ID.test(row.id)) this.byConversation.get(key)!.claimed++;
    return true;
  }

  /** Whether a row is done, `pending` more of its conversation's trace rows being claimed than so far. */
  private claimable(id: string, key: number, pending: number): boolean {
    if (!LINE_ID.test(id)) return this.byId.get(id) === key;
    const seen = this.byConversation.get(key);
    return seen !== undefined && seen.claimed + pending < seen.lineRows;
  }

  get size(): number {
    return this.byId.size;
  }
}

/** Whether a trace row (id, conversation key) is the search of a row: the rule of DonePrompts.has. */
export function isTraceOf(trace: { id: string; key: number }, row: { id: string; key: number }): boolean {
  return trace.key === row.key && (LINE_ID.test(row.id) || trace.id === row.id);
}

/** The conversation's key as trace rows write it (hex), so readers need not hash their messages. */
export function conversationId(messages: readonly ChatMessage[]): string {
  return conversationKey(messages).toString(16);
}

/** The key back from a trace row's `conversation`, or undefined when it is not one. */
export function keyOfConversationId(id: unknown): number | undefined {
  return typeof id === 'string' && /^[0-9a-f]{1,13}$/.test(id) ? parseInt(id, 16) : undefined;
}

export function conversationKey(messages: readonly ChatMessage[]): number {
  // A name joins the key only where a message has one, so the keys of conversations without names stay as they were.
  const digest = createHash('sha1').update(JSON.stringify(messages.map((m) => (m.name === undefined ? [m.role, m.content] : [m.role, m.content, m.name])))).digest();
  return digest.readUIntBE(0, 6) * 16 + (digest[6]! >> 4);
}

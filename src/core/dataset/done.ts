import { createHash } from 'node:crypto';
import type { ChatMessage, PromptRow } from '../chat';

/** The id a row gets from its line when it has none of its own (see prompt-row.ts). */
const LINE_ID = /^line-\d+$/;

/**
 * The prompts a trace output already holds, for resume. A prompt counts as done when a trace
 * row has its id AND its conversation: a row whose text was edited since is searched again.
 * A row without an id of its own (`line-<n>`) is matched by its conversation alone, because its
 * id moves whenever a line is added or removed above it; matching by id would skip the new
 * prompt that took over a line number and search an old one twice.
 *
 * Conversations are kept as 52-bit digests (SHA-1 prefix): small enough for a 100,000-row
 * resume, and a collision (one in ~10^6 at that size) is needed to skip a prompt wrongly.
 */
export class DonePrompts {
  private readonly byId = new Map<string, number>();
  private readonly byConversation = new Set<number>();
  /** Trace rows per config hash: a resume under another config is worth a note. */
  readonly configHashes = new Map<string, number>();

  add(id: string, messages: readonly ChatMessage[], configHash?: string): void {
    this.addKey(id, conversationKey(messages), configHash);
  }

  /** As `add`, with the conversation's key already known (a trace row's `conversation`). */
  addKey(id: string, key: number, configHash?: string): void {
    this.byId.set(id, key);
    this.byConversation.add(key);
    if (configHash !== undefined) this.configHashes.set(configHash, (this.configHashes.get(configHash) ?? 0) + 1);
  }

  has(row: Pick<PromptRow, 'id' | 'messages'>): boolean {
    const key = conversationKey(row.messages);
    return LINE_ID.test(row.id) ? this.byConversation.has(key) : this.byId.get(row.id) === key;
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
  const digest = createHash('sha1').update(JSON.stringify(messages.map((m) => [m.role, m.content]))).digest();
  return digest.readUIntBE(0, 6) * 16 + (digest[6]! >> 4);
}

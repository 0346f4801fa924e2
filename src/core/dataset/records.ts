import type { ChatMessage, PromptRow } from '../chat';
import { holdsAnswer } from '../../shared/best-answer';
import { bestAnswer, candidates } from '../search/candidates';
import { conversationId, conversationKey } from './done';
import type { Candidate, SearchTree, StrategyName } from '../../shared/tree';

/** OpenAI's chat fine-tuning format: the prompt conversation followed by the chosen answer. */
export interface SftRow {
  messages: SftMessage[];
}

/** A message of an SFT row: assistant messages say whether they are trained on (OpenAI's `weight`, 0 or 1). */
type SftMessage = ChatMessage & { weight?: 0 | 1 };

/** TRL's conversational preference format (explicit prompt), as DPOTrainer reads it. */
export interface PreferenceRow {
  prompt: ChatMessage[];
  chosen: ChatMessage[];
  rejected: ChatMessage[];
}

/** One line of the trace output: the whole search of one prompt, enough to resume and to audit. */
export interface TraceRow {
  promptId: string;
  /**
   * conversationId(messages): resume and the editor match a row to its trace by id and
   * conversation (rows without ids by conversation alone). Second, so a reader finds it in the
   * row's head without parsing the tree. Absent in rows written before it existed.
   */
  conversation?: string;
  strategy: StrategyName;
  messages: ChatMessage[];
  reference?: string;
  best: Candidate | null;
  configHash: string;
  runId?: string;
  /** ISO 8601 times the prompt's search started and finished. */
  startedAt: string;
  finishedAt: string;
  /**
   * What the run itself derived from this search (auto-accept): the SFT answer's node and the
   * pair's nodes, or null. The trace row is written first, so after a crash the rows it names
   * can be written again from it (recover.ts). Absent in rows written before this existed.
   */
  derived?: DerivedRows;
  tree: SearchTree;
}

/** Node ids of the rows a search gave the SFT and preference outputs. */
export interface DerivedRows {
  sft: number | null;
  preference: [chosen: number, rejected: number] | null;
}

export interface TraceMeta {
  configHash: string;
  runId?: string;
  /** Epoch milliseconds (from the run's Clock). */
  startedAt: number;
  finishedAt: number;
}

export interface PairOptions {
  /** Rejected = the response ranked this by raw reward (1 = best). */
  rank?: number;
  /** Rejected = the highest-ranked response at least this far below chosen. Takes precedence over `rank`. */
  margin?: number;
}

export interface PreferencePair {
  chosen: Candidate;
  rejected: Candidate;
}

/**
 * The row teaches the answer, not the conversation it continues: OpenAI trains on every
 * assistant message of a row unless its `weight` is 0 (fine-tuning guide, "Multi-turn chat
 * examples"), so a prompt's earlier assistant turns get weight 0 and the answer weight 1. Every
 * assistant message carries its weight, so every row has the same message shape: Hugging Face
 * datasets fixes a JSONL file's schema from its first rows and refuses a field that shows up
 * only later. Other trainers (TRL, Axolotl, LLaMA-Factory) read role and content and ignore it.
 */
export function sftRow(row: Pick<PromptRow, 'messages'>, text: string): SftRow {
  const context = row.messages.map((m): SftMessage => (m.role === 'assistant' ? { ...m, weight: 0 } : m));
  return { messages: [...context, { ...assistant(text), weight: 1 }] };
}

/**
 * Whether an SFT output line answers these prompt messages: its messages are the prompt's plus
 * one assistant turn. How the editor keeps to one SFT row per prompt, across window reloads and
 * rows the run auto-accepted. Lines that are not SFT rows never match.
 */
export function isSftRowOf(line: string, messages: readonly ChatMessage[]): boolean {
  const turns = sftTurns(line);
  if (turns?.length !== messages.length + 1) return false;
  return messages.every((m, i) => turns[i]?.role === m.role && turns[i]?.content === m.content && turns[i]?.name === m.name);
}

/** The conversation key of the prompt an SFT output line answers (its messages but the last); undefined for other lines. */
export function sftPromptKey(line: string): number | undefined {
  const turns = sftTurns(line);
  return turns && conversationKey(turns.slice(0, -1));
}

/** An SFT line's messages: a prompt and the assistant's answer last; undefined for any other line. */
function sftTurns(line: string): ChatMessage[] | undefined {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch {
    return undefined;
  }
  const turns = (row as Partial<SftRow> | null)?.messages;
  if (!Array.isArray(turns) || turns.length < 2 || turns.at(-1)?.role !== 'assistant') return undefined;
  return turns;
}

export function preferenceRow(row: Pick<PromptRow, 'messages'>, chosen: string, rejected: string): PreferenceRow {
  return { prompt: [...row.messages], chosen: [assistant(chosen)], rejected: [assistant(rejected)] };
}

/**
 * Chosen = the best response by raw reward; rejected = the one at `rank`, or the best one at
 * least `margin` below chosen. Either way a candidate that ties chosen in reward or in text
 * would teach nothing, so the search moves on down the ranking to the next that differs in
 * both. Null when none does: fewer than two responses, none far enough below, or all alike.
 */
export function pickPreferencePair(tree: SearchTree, opts: PairOptions = {}): PreferencePair | null {
  const ranked = answerCandidates(tree);
  const chosen = ranked[0];
  if (!chosen || ranked.length < 2) return null;
  const margin = opts.margin;
  const from = margin !== undefined ? 1 : clampRank(opts.rank ?? defaultRank(ranked.length), ranked.length) - 1;
  const rejected = ranked
    .slice(from)
    .find((c) => c.reward < chosen.reward && c.text !== chosen.text && (margin === undefined || c.reward <= chosen.reward - margin));
  return rejected ? { chosen, rejected } : null;
}

/**
 * The candidates that can be training data, best first. A blank answer (a reasoning model that
 * spent its tokens before answering, a server that sent nothing) teaches nothing, however the
 * reward model scored it: it is never an SFT answer or either side of a pair.
 */
export function answerCandidates(tree: SearchTree): Candidate[] {
  return candidates(tree).filter((candidate) => holdsAnswer(candidate.text));
}

/**
 * The reference paired the best of 160 with the 30th; we keep that proportion for other budgets
 * (N * 30 / 160, e.g. 8th of 40), never the best itself.
 */
export function defaultRank(count: number): number {
  return clampRank(Math.round((count * 30) / 160), count);
}

function clampRank(rank: number, count: number): number {
  return Math.min(Math.max(2, Math.floor(rank)), count);
}

export function traceRow(tree: SearchTree, row: Pick<PromptRow, 'id' | 'messages' | 'reference'>, meta: TraceMeta, derived?: DerivedRows): TraceRow {
  return {
    promptId: row.id,
    conversation: conversationId(row.messages),
    strategy: tree.strategy,
    messages: row.messages,
    ...(row.reference === undefined ? {} : { reference: row.reference }),
    best: bestAnswer(tree) ?? null,
    configHash: meta.configHash,
    ...(meta.runId === undefined ? {} : { runId: meta.runId }),
    startedAt: new Date(meta.startedAt).toISOString(),
    finishedAt: new Date(meta.finishedAt).toISOString(),
    ...(derived === undefined ? {} : { derived }),
    tree,
  };
}

function assistant(content: string): ChatMessage {
  return { role: 'assistant', content };
}

import type { AgentStats, RunTotals } from './stats';
import type { Candidate, SearchTree, StrategyName, TreeNode } from './tree';

/**
 * Everything the core reports while it runs, in order. A UI can rebuild the live tree from
 * `node-added` and `play-done` alone; `prompt-done` carries the final tree for consumers that
 * only want the end state. All payloads are plain data (postMessage- and JSON-safe).
 */
export type RunEvent =
  /**
   * `prompts`: the rows of the input when they are known up front (an array; a streamed input is
   * read lazily, so its count is not), the ones resume will skip included. The prompts queued
   * grow with the run, a few ahead of the searches: the total to show is this.
   */
  | { type: 'run-start'; runId: string; strategy: StrategyName; budget: number; agents: string[]; prompts?: number }
  /** A prompt entered the queue. `preview` is the first ~120 characters of its text. */
  | { type: 'prompt-queued'; promptId: string; preview: string }
  /** Resume passed it over: the trace already holds its search. `preview` as in prompt-queued. */
  | { type: 'prompt-skipped'; promptId: string; preview?: string }
  | { type: 'prompt-start'; promptId: string }
  /** A node joined the tree (agent nodes included); its `values`/`visits` are as created. */
  | { type: 'node-added'; promptId: string; node: TreeNode }
  /** A play finished: `nodeId` is the new response; `path` the node ids whose stats were backed up. */
  | { type: 'play-done'; promptId: string; play: number; nodeId: number; reward: number; value: number; path: number[] }
  | { type: 'prompt-done'; promptId: string; tree: SearchTree; best: Candidate }
  | { type: 'prompt-failed'; promptId: string; error: string }
  /** A cancel cut the prompt's search short: it did not fail, and a resumed run searches it again. */
  | { type: 'prompt-cancelled'; promptId: string }
  /** A call is being retried after a fault; `delayMs` is the wait before the next attempt. */
  | { type: 'call-retry'; agent: string; reward?: boolean; attempt: number; reason: string; delayMs: number }
  | { type: 'stats'; agents: AgentStats[]; totals: RunTotals }
  /**
   * Something about the run's settings the user should fix; sent once per run and code. `repeat`:
   * an earlier run of the same comparison gave this code (see compareStrategies), so what says a
   * warning once per comparison (a CLI line, a notification) leaves it unsaid, while the run's own
   * view lists it.
   */
  | ({ type: 'run-warning'; repeat?: true } & RunWarning)
  /**
   * The run was cancelled and is ending: nothing new starts, the searches in flight are cut
   * short, and it ends once the outputs of the prompts in `saving` (searches that had finished)
   * are written whole. Sent at the cancel, then again as each of those is saved.
   */
  | { type: 'run-cancelling'; saving: string[] }
  /** `stopped`: the error that ended the run early (it is `cancelled` too). */
  | { type: 'run-done'; cancelled: boolean; stopped?: string; totals: RunTotals };

/**
 * A setting that spoils the run's results. `tau-scale`: the rewards saturate sigmoid(r / tau), or
 * all sit at 0.5 under a tau far too large, so TOA cannot rank answers (see
 * core/run/tau-check.ts); with the tau to try instead. `flat-reward`: the reward model gave every
 * answer the same score (see core/run/flat-rewards.ts).
 */
export type RunWarning = { code: 'tau-scale'; message: string; suggestedTau: number } | { code: 'flat-reward'; message: string };


import type { ChatAgent } from '../agents/types';
import type { PromptRow } from '../chat';
import type { ToaConfig } from '../config/schema';
import type { RewardModel } from '../rewards/types';
import type { Clock } from '../util/clock';
import type { RunEvent } from '../../shared/events';
import type { AgentStats, RunTotals } from '../../shared/stats';
import type { SearchTree, StrategyName } from '../../shared/tree';

export interface RunOptions {
  config: ToaConfig;
  /** Streamed: the run never holds more rows than it has in flight. */
  rows: AsyncIterable<PromptRow> | Iterable<PromptRow>;
  /** Built by the shell (CLI: keys from env; extension: keys from SecretStorage), in config order. */
  agents: ChatAgent[];
  reward: RewardModel;
  signal: AbortSignal;
  onEvent(event: RunEvent): void;
  /** Overrides `config.search.strategy` (compare mode runs each strategy in turn). */
  strategy?: StrategyName;
  /** Prompts already done (resume, e.g. a DonePrompts): reported as skipped, not searched. */
  skip?: { claim(row: PromptRow): boolean };
  /** Receives each finished tree before `prompt-done` is emitted; awaited, so outputs are on disk first. */
  onTree?(tree: SearchTree, row: PromptRow, info: TreeInfo): Promise<void>;
  clock?: Clock;
  /** Names the run in `run-start` and trace rows; default: derived from the config hash and the start time. */
  runId?: string;
}

/** When and under which settings a tree was made: what a trace row records besides the tree. */
export interface TreeInfo {
  runId: string;
  configHash: string;
  /** Epoch milliseconds on the run's clock. */
  startedAt: number;
  finishedAt: number;
}

export interface RunSummary {
  runId: string;
  cancelled: boolean;
  totals: RunTotals;
  agents: AgentStats[];
}

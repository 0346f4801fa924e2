import type { AgentMode, SearchTree, StrategyName } from '../../shared/tree';
import { PlayPool } from './pool';
import { attachNode, emitNode, recordPlay } from './record';
import { createTree, getNode, ROOT } from './tree';
import type { PlayOutcome, PlayRequest, SearchEnv } from './types';

/**
 * The tree a baseline grows, in the same shape TOA's has: root -> agent node -> response. A
 * scratch or aggregate agent node hangs under the root, a refine agent node under the response
 * it refines; one agent node per (parent, agent, mode), created when first used. Responses are
 * committed in request order and backed up as TOA does, so the panel reads both alike.
 */
export class BaselineTree {
  readonly tree: SearchTree;
  readonly pool: PlayPool;

  constructor(
    private readonly env: SearchEnv,
    strategy: StrategyName,
    signal: AbortSignal,
  ) {
    signal.throwIfAborted();
    if (env.agents.length === 0) throw new Error(`${strategy} needs at least one agent`);
    this.tree = createTree(env.promptId, strategy, env.agents, env.params.budget);
    emitNode(env, getNode(this.tree, ROOT));
    this.pool = new PlayPool(env, signal);
  }

  /** Awaits a started play and attaches its response; returns the response id. */
  async commit(play: Promise<PlayOutcome>, parentId: number, request: Pick<PlayRequest, 'agent' | 'mode'>, sources: number[]): Promise<number> {
    const outcome = await this.pool.outcome(play);
    const agentNode = this.agentNode(parentId, request.agent, request.mode);
    return recordPlay(this.tree, this.env, agentNode, outcome, sources).id;
  }

  /** Commits started plays in order, all under the same agent node; returns the response ids. */
  async commitAll(plays: Promise<PlayOutcome>[], parentId: number, request: Pick<PlayRequest, 'agent' | 'mode'>, sources: number[]): Promise<number[]> {
    const ids: number[] = [];
    for (const play of plays) ids.push(await this.commit(play, parentId, request, sources));
    return ids;
  }

  text(id: number): string {
    return getNode(this.tree, id).text ?? '';
  }

  reward(id: number): number {
    return getNode(this.tree, id).reward ?? -Infinity;
  }

  private agentNode(parentId: number, agent: number, mode: AgentMode) {
    const parent = getNode(this.tree, parentId);
    const found = parent.children.map((id) => getNode(this.tree, id)).find((n) => n.agent === agent && n.mode === mode);
    return found ?? attachNode(this.tree, this.env, parentId, { kind: 'agent', agent, mode });
  }
}

/** The single agent of best-of-n and PRS, checked (the config yields -1 for an unknown name). */
export function singleAgent(env: SearchEnv): number {
  const agent = env.params.agent;
  if (!Number.isInteger(agent) || agent < 0 || agent >= env.agents.length) {
    throw new Error(`search.agent: index ${agent} is not one of the ${env.agents.length} agents (${env.agents.join(', ')})`);
  }
  return agent;
}

export function scratch(agent: number): PlayRequest {
  return { agent, mode: 'scratch', sources: [] };
}

export function times<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: Math.max(0, n) }, (_, i) => make(i));
}

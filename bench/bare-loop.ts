import OpenAI from 'openai';
import { buildPlayMessages, resolveTemplates, type ChatMessage, type PromptRow, type SearchTree, type ToaConfig } from '../src/core';
import { benchFetch } from './setup';

/** One play as a bare client makes it: the exact chat messages, and what the reply will be. */
interface BarePlay {
  agent: number;
  messages: ChatMessage[];
  /** The response the orchestrated run got for the same request (the sim is deterministic). */
  expected: string;
}

/** A prompt's plays in the order the orchestrated run made them. */
export interface BarePrompt {
  row: PromptRow;
  plays: BarePlay[];
}

/**
 * The calls a finished TOA run made, read back from its trees: for every response in play
 * order, the agent, and the messages the product's own prompt builder sends for it (from
 * scratch, or refining its parent response). Built before any measurement starts.
 */
export function playsFromTrees(config: ToaConfig, rows: readonly PromptRow[], trees: ReadonlyMap<string, SearchTree>): BarePrompt[] {
  const templates = resolveTemplates(config.task.kind, config.task.templates);
  return rows.map((row) => {
    const tree = trees.get(row.id);
    if (!tree) throw new Error(`bare loop: no tree for prompt ${row.id}`);
    const responses = tree.nodes.filter((n) => n.kind === 'response').sort((a, b) => (a.play ?? 0) - (b.play ?? 0));
    const plays = responses.map((node) => {
      const agentNode = tree.nodes[node.parent ?? -1]!;
      const agent = node.agent ?? 0;
      const sources = agentNode.mode === 'refine' ? [tree.nodes[agentNode.parent ?? -1]?.text ?? ''] : [];
      const request = { agent, mode: agentNode.mode ?? 'scratch', sources };
      return { agent, messages: buildPlayMessages(request, row, config.agents[agent]!, templates), expected: node.text ?? '' };
    });
    return { row, plays };
  });
}

export interface BareResult {
  plays: number;
  /** Replies that differed from the orchestrated run's (0 means the very same calls were made). */
  mismatches: number;
}

/**
 * The same chat calls (OpenAI SDK, streamed with usage, the agents' sampling settings) and the
 * same vLLM /classify reward calls as the orchestrated run, over the same HTTP client (the CLI's
 * pooled fetch), with nothing around them: no search,
 * no tree, no scheduler, no events, no stats, no retries. `concurrency` prompts run at once,
 * each making its plays one after another, as TOA does.
 */
export async function runBareLoop(config: ToaConfig, prompts: readonly BarePrompt[], concurrency: number): Promise<BareResult> {
  const clients = config.agents.map((a) => new OpenAI({ apiKey: 'no-key-configured', baseURL: a.baseURL, maxRetries: 0, organization: null, project: null, logLevel: 'off', fetch: benchFetch }));
  if (config.reward.type !== 'vllm') throw new Error('bare loop: needs the vLLM reward');
  const rewardUrl = `${config.reward.baseURL.replace(/\/+$/, '')}/${config.reward.endpoint}`;
  const rewardModel = config.reward.model;
  let plays = 0;
  let mismatches = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < prompts.length; i = next++) {
      const { row, plays: list } = prompts[i]!;
      for (const play of list) {
        const agent = config.agents[play.agent]!;
        const stream = await clients[play.agent]!.chat.completions.create({
          model: agent.model,
          messages: play.messages as OpenAI.Chat.ChatCompletionMessageParam[],
          temperature: agent.temperature,
          top_p: agent.top_p,
          max_tokens: agent.max_tokens,
          stream: true,
          stream_options: { include_usage: true },
        });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
        const reply = await benchFetch(rewardUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ model: rewardModel, messages: [...row.messages, { role: 'assistant', content: text }] }),
        });
        const body = (await reply.json()) as { data: Array<{ probs: number[] }> };
        if (!Number.isFinite(body.data[0]?.probs[0])) throw new Error('bare loop: no reward in the reply');
        if (text !== play.expected) mismatches++;
        plays++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { plays, mismatches };
}

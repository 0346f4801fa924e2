import type { Random } from '../core/util/random';
import { hashString } from '../core/util/random';
import { ResponseBook, formatTag, type BookEntry } from './book';
import { aggregateBase, refinedQuality, scratchQuality } from './quality';
import { gaussian, keyedRandom, keyedUnit } from './random';
import { finalAnswer, prose } from './text';
import type { SimAgentSpec } from './types';

const MAX_TAG_ATTEMPTS = 64;

/** A chat message as the sim reads it: any role, content flattened to text. */
export interface ChatTurn {
  role: string;
  content: string;
}

export interface EngineOptions {
  seed: number;
  agents: readonly SimAgentSpec[];
  affinitySpread: number;
  rewardNoise: number;
  rewardScale: number;
  answers: ReadonlyMap<string, string>;
}

/** The generators of one request, keyed by what it asks (see `SimEngine.draws`). */
export interface RequestDraws {
  fault: Random;
  content: Random;
  /** Source of the response's tag id. */
  tag: Random;
}

export interface SimReply {
  tagId: string;
  text: string;
}

/**
 * The simulated models, without HTTP: who answers how well, the text they write, and what the
 * reward model says about it. Deterministic: a request's randomness comes from (seed, model,
 * a hash of its messages, how many identical requests came before), never from a shared stream.
 */
export class SimEngine {
  readonly book = new ResponseBook();
  private readonly agents: ReadonlyMap<string, SimAgentSpec>;
  private readonly seen = new Map<string, number>();

  constructor(private readonly options: EngineOptions) {
    this.agents = new Map(options.agents.map((a) => [a.model, a]));
  }

  get models(): string[] {
    return [...this.agents.keys()];
  }

  agent(model: string): SimAgentSpec | undefined {
    return this.agents.get(model);
  }

  /** Reserves this request's place among identical ones, and returns its generators. */
  draws(model: string, messages: readonly ChatTurn[]): RequestDraws {
    const digest = hashString(JSON.stringify(messages.map((m) => [m.role, m.content])));
    const n = this.nextCount(`${model}\u0001${digest}`);
    const { seed } = this.options;
    return {
      fault: keyedRandom(seed, 'fault', model, digest, n),
      content: keyedRandom(seed, 'content', model, digest, n),
      tag: keyedRandom(seed, 'tag', model, digest, n),
    };
  }

  /** The generator of one reward call (its faults and id), keyed like a chat request's. */
  rewardRandom(requestBody: string): Random {
    const digest = hashString(requestBody);
    return keyedRandom(this.options.seed, 'reward-call', digest, this.nextCount(`reward\u0001${digest}`));
  }

  /**
   * Writes a response and records it. Earlier sim responses quoted in the messages decide the
   * mode: none -> from scratch on the last user message, one -> refinement, several ->
   * aggregation; a refinement or aggregation answers the quoted responses' original prompt.
   */
  respond(agent: SimAgentSpec, messages: readonly ChatTurn[], draws: RequestDraws): SimReply {
    const quoted = this.book.quoted(messages.map((m) => m.content).join('\n'));
    const spread = this.options.affinitySpread;
    const rng = draws.content;
    const prompt = quoted[0]?.prompt ?? lastUserContent(messages);
    const quality = quoted.length === 0 ? scratchQuality(agent, prompt, spread, rng) : refinedQuality(agent, prompt, this.startingQuality(quoted, rng), spread, rng);
    const tagId = this.freshTagId(draws.tag);
    const answer = this.options.answers.get(prompt) ?? this.options.answers.get(prompt.trim());
    const ending = answer === undefined ? '' : `\n#### ${finalAnswer(answer, quality, rng)}`;
    const text = `${prose(prompt, quality, rng)} ${formatTag(tagId)}${ending}`;
    this.book.add(tagId, { quality, prompt, model: agent.model });
    return { tagId, text };
  }

  /** What a refinement (one quoted answer) or an aggregation (several) builds on. */
  private startingQuality(quoted: readonly BookEntry[], rng: Random): number {
    if (quoted.length === 1) return quoted[0]!.quality;
    // The aggregator judges the answers it reads as noisily as the reward model scores them.
    const perceived = quoted.map((e) => e.quality + this.options.rewardNoise * gaussian(rng));
    return aggregateBase(
      quoted.map((e) => e.quality),
      perceived,
    );
  }

  trueQuality(text: string): number | undefined {
    return this.book.identify(text)?.quality;
  }

  /**
   * reward = scale * (quality + noise). The noise is a fixed function of what is scored, as a
   * real reward model's error is: scoring the same thing twice gives the same number. Text the
   * sim did not write gets a stable low quality in [0.1, 0.4).
   */
  reward(response: string, context: string): number {
    const { seed, rewardNoise, rewardScale } = this.options;
    const quality = this.trueQuality(response) ?? 0.1 + 0.3 * keyedUnit(seed, 'unknown', response);
    const noise = rewardNoise * gaussian(keyedRandom(seed, 'reward', context, response));
    return rewardScale * (quality + noise);
  }

  /** How many requests with this key came before this one. */
  private nextCount(key: string): number {
    const n = this.seen.get(key) ?? 0;
    this.seen.set(key, n + 1);
    return n;
  }

  /** A tag id no earlier response has; a 32-bit space makes a second try rare. */
  private freshTagId(rng: Random): string {
    for (let attempt = 0; attempt < MAX_TAG_ATTEMPTS; attempt++) {
      const id = Math.floor(rng.next() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, '0');
      if (!this.book.has(id)) return id;
    }
    throw new Error(`sim: no free response tag after ${MAX_TAG_ATTEMPTS} draws`);
  }
}

function lastUserContent(messages: readonly ChatTurn[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return messages[i]!.content;
  return messages.at(-1)?.content ?? '';
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SIM_AGENTS, SIM_DEFAULTS, startSim, type SimServer } from '../../../src/sim';
import { difficulty, skill } from '../../../src/sim/quality';
import { PROMPTS, ask, clientFor, refinePrompt } from './helpers';

async function withSim<T>(options: Parameters<typeof startSim>[0], body: (sim: SimServer) => Promise<T>): Promise<T> {
  const sim = await startSim(options);
  try {
    return await body(sim);
  } finally {
    await sim.close();
  }
}

/** Per prompt, the answers to: scratch x2 on two agents, then a refinement of the first. */
async function session(sim: SimServer, prompt: string): Promise<string[]> {
  const client = clientFor(sim);
  const a = await ask(client, 'sim-large', prompt);
  const b = await ask(client, 'sim-large', prompt);
  const c = await ask(client, 'sim-small', prompt);
  const d = await ask(client, 'sim-refiner', refinePrompt(prompt, a));
  return [a, b, c, d];
}

describe('sim models', () => {
  it('give the same answers per prompt for the same seed, however prompts interleave', async () => {
    const prompts = PROMPTS.slice(0, 4);
    const sequential = await withSim({ seed: 9 }, async (sim) => {
      const out: string[][] = [];
      for (const p of prompts) out.push(await session(sim, p));
      return out;
    });
    const concurrent = await withSim({ seed: 9 }, (sim) => Promise.all([...prompts].reverse().map((p) => session(sim, p))));
    assert.deepEqual(concurrent.reverse(), sequential);
    const otherSeed = await withSim({ seed: 10 }, (sim) => session(sim, prompts[0]!));
    assert.notDeepEqual(otherSeed, sequential[0]);
  });

  it('answer repeated identical requests differently', async () => {
    await withSim({ seed: 2 }, async (sim) => {
      const [a, b] = await session(sim, PROMPTS[0]!);
      assert.notEqual(a, b);
    });
  });

  it('write longer answers at higher quality', async () => {
    await withSim({ seed: 4 }, async (sim) => {
      const client = clientFor(sim);
      const rows = await Promise.all(PROMPTS.map(async (p) => ask(client, 'sim-wild', p)));
      const low = rows.filter((t) => sim.trueQuality(t)! < 0.45).map((t) => t.length);
      const high = rows.filter((t) => sim.trueQuality(t)! > 0.65).map((t) => t.length);
      assert.ok(low.length > 0 && high.length > 0);
      assert.ok(Math.max(...low) < Math.min(...high));
    });
  });

  it('make refinements that improve on average and sometimes degrade', async () => {
    await withSim({ seed: 5 }, async (sim) => {
      const client = clientFor(sim);
      const deltas = await Promise.all(
        PROMPTS.map(async (p) => {
          const first = await ask(client, 'sim-medium', p);
          const refined = await ask(client, 'sim-refiner', refinePrompt(p, first));
          assert.match(refined, /\[sim:[0-9a-f]{8}\]$/);
          assert.equal(refined.match(/\[sim:/g)!.length, 1, 'an answer never carries the tag it refined');
          return sim.trueQuality(refined)! - sim.trueQuality(first)!;
        }),
      );
      assert.ok(deltas.some((d) => d > 0) && deltas.some((d) => d < 0), `deltas ${deltas.map((d) => d.toFixed(2))}`);
      assert.ok(deltas.reduce((s, d) => s + d, 0) / deltas.length > 0.05);
    });
  });

  it('degrade on average with a negative refine gain', async () => {
    const agents = [{ model: 'spoiler', strength: 0.7, refineGain: -0.5, noise: 0.05 }];
    await withSim({ seed: 6, agents, affinitySpread: 0 }, async (sim) => {
      const client = clientFor(sim);
      const first = await ask(client, 'spoiler', PROMPTS[0]!);
      const refined = await ask(client, 'spoiler', refinePrompt(PROMPTS[0]!, first));
      assert.ok(sim.trueQuality(refined)! < sim.trueQuality(first)!);
    });
  });

  it('aggregate several answers from mostly the best of them', async () => {
    const agents = [
      { model: 'weak', strength: 0.2, refineGain: 0, noise: 0 },
      { model: 'strong', strength: 0.8, refineGain: 0, noise: 0 },
    ];
    await withSim({ seed: 7, agents, affinitySpread: 0 }, async (sim) => {
      const client = clientFor(sim);
      const prompt = PROMPTS[1]!;
      const weak = await ask(client, 'weak', prompt);
      const strong = await ask(client, 'strong', prompt);
      const merged = await ask(client, 'weak', `Question: ${prompt}\n\nAnswer 1:\n${weak}\n\nAnswer 2:\n${strong}\n\nCombine them.`);
      const [qw, qs, qm] = [weak, strong, merged].map((t) => sim.trueQuality(t)!) as [number, number, number];
      assert.ok(Math.abs(qm - (0.75 * qs + 0.25 * ((qw + qs) / 2))) < 1e-9, `aggregate ${qm} from ${qw}, ${qs}`);
      assert.match(merged, /topic|number|care/i, 'answers the original prompt');
    });
  });

  it('aggregate from the answer the aggregator judges best, as noisily as the reward model scores', async () => {
    const agents = [
      { model: 'weak', strength: 0.45, refineGain: 0, noise: 0 },
      { model: 'strong', strength: 0.55, refineGain: 0, noise: 0 },
    ];
    // Reward noise far above the gap: the aggregator cannot tell the two answers apart reliably.
    await withSim({ seed: 8, agents, affinitySpread: 0, rewardNoise: 1 }, async (sim) => {
      const client = clientFor(sim);
      const bases = await Promise.all(
        PROMPTS.map(async (prompt) => {
          const weak = await ask(client, 'weak', prompt);
          const strong = await ask(client, 'strong', prompt);
          const merged = await ask(client, 'weak', `Question: ${prompt}\n\nAnswer 1:\n${weak}\n\nAnswer 2:\n${strong}\n\nCombine them.`);
          const [qw, qs, qm] = [weak, strong, merged].map((t) => sim.trueQuality(t)!) as [number, number, number];
          const mean = (qw + qs) / 2;
          if (Math.abs(qm - (0.75 * qs + 0.25 * mean)) < 1e-9) return 'strong';
          if (Math.abs(qm - (0.75 * qw + 0.25 * mean)) < 1e-9) return 'weak';
          return `neither: ${qm} from ${qw}, ${qs}`;
        }),
      );
      assert.ok(bases.includes('strong') && bases.includes('weak'), `built on: ${bases.join(', ')}`);
      assert.ok(bases.every((b) => b === 'strong' || b === 'weak'), bases.join(', '));
    });
  });

  it('have no agent best on every prompt by default, and a fixed ranking without affinity', () => {
    const best = (spread: number): Set<string> =>
      new Set(
        PROMPTS.map((p) => {
          const mean = (a: (typeof DEFAULT_SIM_AGENTS)[number]): number => a.strength + skill(a, p, spread);
          return DEFAULT_SIM_AGENTS.reduce((x, y) => (mean(y) > mean(x) ? y : x)).model;
        }),
      );
    assert.ok(best(SIM_DEFAULTS.affinitySpread).size >= 3, `winners: ${[...best(SIM_DEFAULTS.affinitySpread)]}`);
    assert.deepEqual([...best(0)], ['sim-large']);
    const difficulties = PROMPTS.map(difficulty);
    assert.ok(Math.max(...difficulties) - Math.min(...difficulties) > 0.5, 'prompts differ in difficulty');
  });

  it('end math answers with #### and a number that is right more often at higher quality', async () => {
    const answers = new Map(PROMPTS.map((p, i) => [p, String(i * 7)]));
    await withSim({ seed: 8, answers }, async (sim) => {
      const client = clientFor(sim);
      const rows: Array<{ q: number; right: boolean }> = [];
      for (const model of ['sim-small', 'sim-large', 'sim-wild']) {
        const texts = await Promise.all(PROMPTS.flatMap((p) => [ask(client, model, p), ask(client, model, p)]));
        texts.forEach((t, k) => {
          const match = /\n#### (-?\d+)$/.exec(t);
          assert.ok(match, `final answer line in: ${t.slice(-40)}`);
          rows.push({ q: sim.trueQuality(t)!, right: match[1] === answers.get(PROMPTS[Math.floor(k / 2)]!) });
        });
      }
      const rate = (xs: typeof rows): number => xs.filter((r) => r.right).length / xs.length;
      const high = rows.filter((r) => r.q >= 0.6);
      const low = rows.filter((r) => r.q < 0.6);
      assert.ok(rate(high) > rate(low) + 0.1, `right ${rate(high).toFixed(2)} at high quality, ${rate(low).toFixed(2)} at low`);
      assert.ok(rate(low) < 1 && rate(high) > 0);
    });
  });

  it('report true quality in-process and over /sim/quality, unknown text as null', async () => {
    await withSim({ seed: 1 }, async (sim) => {
      const text = await ask(clientFor(sim), 'sim-large', PROMPTS[2]!);
      const res = await fetch(`${sim.url}/sim/quality?text=${encodeURIComponent(text)}`);
      assert.deepEqual(await res.json(), { quality: sim.trueQuality(text) });
      const unknown = await fetch(`${sim.url}/sim/quality?text=${encodeURIComponent('written by hand')}`);
      assert.deepEqual(await unknown.json(), { quality: null });
      assert.equal(sim.trueQuality('written by hand [sim:00000000]'), undefined);
      assert.equal((await fetch(`${sim.url}/sim/quality`)).status, 400);
    });
  });
});

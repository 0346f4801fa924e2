import OpenAI from 'openai';
import type { SimServer } from '../../../src/sim';

/** An SDK client on the sim that never retries, so every fault reaches the test. */
export function clientFor(sim: SimServer): OpenAI {
  return new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'sim', maxRetries: 0, logLevel: 'off' });
}

export async function ask(client: OpenAI, model: string, content: string): Promise<string> {
  const reply = await client.chat.completions.create({ model, messages: [{ role: 'user', content }] });
  return reply.choices[0]!.message.content ?? '';
}

/** The way refine templates quote an earlier answer: verbatim, inside the user message. */
export function refinePrompt(prompt: string, answer: string): string {
  return `Question:\n${prompt}\n\nAn earlier answer:\n${answer}\n\nWrite a better answer.`;
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  order.forEach(([, i], rank) => (out[i] = rank));
  return out;
}

/** Spearman's rank correlation (ties broken by position; the values here are continuous). */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  const rx = ranks(xs);
  const ry = ranks(ys);
  const n = xs.length;
  const mean = (n - 1) / 2;
  let cov = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < n; i++) {
    cov += (rx[i]! - mean) * (ry[i]! - mean);
    vx += (rx[i]! - mean) ** 2;
    vy += (ry[i]! - mean) ** 2;
  }
  return cov / Math.sqrt(vx * vy);
}

export const PROMPTS = Array.from({ length: 30 }, (_, i) => `Describe topic number ${i} with care: ${['rivers', 'markets', 'poems', 'engines', 'forests', 'cities'][i % 6]} and ${['history', 'design', 'risk', 'growth', 'memory'][i % 5]}`);

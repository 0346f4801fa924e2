/**
 * A first `toa.config.json` for real endpoints, written by the extension's "Create
 * Configuration" command and `toa init`: one agent per provider picked, scored by an LLM judge
 * on the first agent's endpoint (it needs no reward server, so the file runs as soon as the
 * endpoints answer), with comments that point at what to change. JSONC, as the config loader reads.
 */

export type StarterProvider = 'openai' | 'openrouter' | 'vllm' | 'ollama' | 'lmstudio';

export interface ProviderPreset {
  /** What a picker shows. */
  label: string;
  baseURL: string;
  model: string;
  /** The CLI's key variable; local servers take no key. */
  apiKeyEnv?: string;
  /** Local servers run few requests at once; more only queue there and time out. */
  maxConcurrency?: number;
  price?: { inputPerMillion: number; outputPerMillion: number };
}

export const STARTER_PROVIDERS: Record<StarterProvider, ProviderPreset> = {
  openai: { label: 'OpenAI', baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKeyEnv: 'OPENAI_API_KEY', price: { inputPerMillion: 0.15, outputPerMillion: 0.6 } },
  openrouter: { label: 'OpenRouter', baseURL: 'https://openrouter.ai/api/v1', model: 'meta-llama/llama-3.1-70b-instruct', apiKeyEnv: 'OPENROUTER_API_KEY' },
  vllm: { label: 'vLLM (local server)', baseURL: 'http://127.0.0.1:8000/v1', model: 'Qwen/Qwen2.5-7B-Instruct', maxConcurrency: 16 },
  ollama: { label: 'Ollama', baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b', maxConcurrency: 4 },
  lmstudio: { label: 'LM Studio', baseURL: 'http://127.0.0.1:1234/v1', model: 'qwen2.5-7b-instruct', maxConcurrency: 2 },
};

export const STARTER_PROVIDER_NAMES = Object.keys(STARTER_PROVIDERS) as StarterProvider[];

export function isStarterProvider(name: string): name is StarterProvider {
  return Object.hasOwn(STARTER_PROVIDERS, name);
}

/** The file's text; `providers` must not be empty (repeats are dropped). */
export function starterConfigText(providers: readonly StarterProvider[]): string {
  const picked = [...new Set(providers)];
  const first = picked[0];
  if (first === undefined) throw new Error('pick at least one provider');
  const judge = STARTER_PROVIDERS[first];
  const agents = picked.map((p) => `    ${JSON.stringify(agentOf(p))}`).join(',\n');
  return `{
  // TOA Studio run configuration. Every field is described in the README ("Configuration") and
  // completed by the editor from the JSON Schema. Change each model to one your endpoint serves.
  // Keys: the VS Code extension asks for them (TOA Studio: Set API Key...) and keeps them in its
  // secret storage; the CLI reads the environment variable named by "apiKeyEnv".
  "agents": [
${agents}
  ],
  // An LLM judge needs no reward server. A trained reward model scores better: serve one with vLLM
  // and use { "type": "vllm", "baseURL": "http://127.0.0.1:8001", "model": "...", "endpoint": "classify" }.
  "reward": ${JSON.stringify(judgeOf(judge))},
  // budget: plays (one model call + one reward call) per prompt. alpha and width take the defaults
  // the TOA authors ran for the task; tau, with a judge, its score range (9 for 1 to 10). With
  // another reward, set tau near the spread of its scores (README, "Configuration").
  "search": { "strategy": "toa", "budget": 40, "seed": 0 },
  "task": { "kind": "instruction" },
  "output": { "sft": "data/sft.jsonl", "preference": "data/preference.jsonl", "trace": "data/traces.jsonl" },
  "run": { "concurrency": ${runConcurrency(picked)} }
}
`;
}

/** 8, or fewer when the local servers picked take fewer at once (more would only queue there). */
function runConcurrency(picked: readonly StarterProvider[]): number {
  return Math.min(8, picked.reduce((n, p) => n + (STARTER_PROVIDERS[p].maxConcurrency ?? 8), 0));
}

function agentOf(provider: StarterProvider): Record<string, unknown> {
  const { baseURL, model, apiKeyEnv, maxConcurrency, price } = STARTER_PROVIDERS[provider];
  return { name: provider, baseURL, model, ...(apiKeyEnv ? { apiKeyEnv } : {}), ...(maxConcurrency ? { maxConcurrency } : {}), ...(price ? { price } : {}) };
}

function judgeOf({ baseURL, model, apiKeyEnv }: ProviderPreset): Record<string, unknown> {
  return { type: 'judge', baseURL, model, ...(apiKeyEnv ? { apiKeyEnv } : {}), min: 1, max: 10 };
}

import { z } from 'zod';
import { STRATEGIES } from '../../shared/tree';
import { agentExtraBody, judgeExtraBody } from './extra-body';
import { unexpandedPathProblem } from './unexpanded-path';

/**
 * The one schema for a run: the CLI reads it from a file, the extension from the workspace's
 * `toa.config.json`, and `schemas/toa-config.schema.json` (editor IntelliSense) is generated
 * from it by `scripts/build.mjs`. Field names follow the OpenAI API where one exists.
 */

// http(s) only: file:, ftp: or javascript: URLs parse as URLs but name nothing the HTTP client can reach.
// No user:password@: neither HTTP client sends them (fetch refuses such a URL, quoting it whole in
// its error), and a URL is shown in messages and logs, so a password there would be too.
const url = z
  .string()
  .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
  .refine((value) => !hasCredentials(value), { message: 'must not hold a user name or password (user:password@): they would show in messages and logs; give the key with apiKeyEnv (CLI) or Set API Key... (VS Code)' });

function hasCredentials(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { username, password } = new URL(value);
  return username !== '' || password !== '';
}
// Blank names no model: the endpoint would answer every call with an error.
const modelName = z.string().regex(/\S/, { message: 'must not be blank' });
/** The token limit under OpenAI's newer name; with it set, max_tokens is neither read nor sent. */
const maxCompletionTokens = z
  .number()
  .int()
  .positive()
  .optional()
  .describe(
    "The reply's token limit under OpenAI's newer name, sent as max_completion_tokens instead of max_tokens; for servers that want that name (OpenAI's own API and Azure OpenAI get it either way). Set this or max_tokens, not both.",
  );
const NULL_SENDS_NONE = 'null sends none, leaving it to the server (for models that take no other value, like OpenAI reasoning models)';
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name' });

// The name labels the agent in statistics, traces, messages and search.agent: "." or "--" alone
// would read as a folder or a blank cell there, not as a name.
const agentName = z
  .string()
  .min(1)
  .regex(/^[\w.-]+$/, { message: 'must be letters, digits, _ . or -' })
  .regex(/[A-Za-z0-9]/, { message: 'must contain a letter or digit, not only . _ or -' });

export const agentSchema = z
  .object({
    name: agentName,
    baseURL: url.describe('OpenAI-compatible base URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1'),
    model: modelName,
    apiKeyEnv: envName
      .optional()
      .describe('CLI: environment variable holding the API key. The extension keeps keys in SecretStorage instead.'),
    temperature: z.number().min(0).max(2).nullable().default(0.7).describe(`Sampling temperature; ${NULL_SENDS_NONE}.`),
    top_p: z.number().gt(0).max(1).nullable().default(1).describe(`Nucleus sampling; ${NULL_SENDS_NONE}.`),
    max_tokens: z
      .number()
      .int()
      .positive()
      .default(2048)
      .describe("The reply's token limit, reasoning included. OpenAI's own API (api.openai.com) and Azure OpenAI (*.openai.azure.com, and /openai/ paths of *.cognitiveservices.azure.com and *.services.ai.azure.com, a Foundry project's /api/projects/<project>/openai/ included) are sent it as max_completion_tokens, the name they want; other servers as max_tokens."),
    max_completion_tokens: maxCompletionTokens,
    extraBody: agentExtraBody.optional(),
    systemPrompt: z.string().optional(),
    maxConcurrency: z.number().int().positive().default(8).describe('Calls in flight to this agent at once.'),
    requestsPerMinute: z.number().positive().optional().describe('Rate limit for this agent; unlimited when absent.'),
    price: z
      .object({
        inputPerMillion: z.number().min(0).default(0),
        outputPerMillion: z.number().min(0).default(0),
      })
      .strict()
      .default({ inputPerMillion: 0, outputPerMillion: 0 })
      .describe('USD per million input and output tokens, for cost statistics.'),
    timeoutMs: z.number().int().positive().default(120_000),
    maxRetries: z.number().int().min(0).default(5),
    stream: z.boolean().default(true).describe('Stream completions (with usage).'),
    thinkTags: z
      .boolean()
      .default(true)
      .describe(
        'Drop a reasoning block written into the answer (a leading <think>...</think>, or reasoning up to a </think> alone on its line) before it is scored and written out; false keeps the content as the model wrote it.',
      ),
  })
  .strict();

const vllmReward = z
  .object({
    type: z.literal('vllm'),
    baseURL: url.describe('vLLM server root, e.g. http://127.0.0.1:8001 (without /v1)'),
    model: modelName,
    endpoint: z.enum(['classify', 'pooling']).default('classify'),
    activation: z
      .boolean()
      .optional()
      .describe(
        "classify: false or absent asks for the model's raw scores (use_activation: false; with several classes the score is the log-odds of classIndex); true for vLLM's sigmoid or softmax probabilities, which saturate near 1 for reward models",
      ),
    classIndex: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        "classify: which class of a model with several is the score, e.g. 1 for a good/bad classifier whose class 1 means good; pooling: which value of the pooled vector (or of the last token's or step's row) is the score, as vLLM returns it, e.g. 1 for a process reward model such as Qwen2.5-Math-PRM, whose rows are [bad, good]. A model with one class, or one value per row, needs none; with several, a run fails without it",
      ),
    apiKeyEnv: envName.optional(),
    timeoutMs: z.number().int().positive().default(60_000),
  })
  .strict();

const httpReward = z
  .object({
    type: z.literal('http'),
    url,
    headers: z.record(z.string(), z.string()).default({}),
    bodyTemplate: z
      .unknown()
      .default({ prompt: '{{prompt}}', response: '{{response}}' })
      .describe('JSON body; string values may use {{prompt}}, {{response}}, {{reference}} and {{messages}}.'),
    scorePath: z.string().min(1).describe('JSON path to the score in the reply, e.g. $.data[0].score'),
    apiKeyEnv: envName.optional(),
    apiKeyHeader: z
      .string()
      .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name, e.g. x-api-key')
      .default('Authorization')
      .describe('The header the API key goes in: Authorization sends "Bearer <key>"; any other (x-api-key, Azure\'s api-key) the key as it is.'),
    timeoutMs: z.number().int().positive().default(60_000),
  })
  .strict();

const judgeReward = z
  .object({
    type: z.literal('judge'),
    baseURL: url,
    model: modelName,
    apiKeyEnv: envName.optional(),
    template: z.string().optional().describe('Rubric; {{prompt}} and {{response}} are filled in. Defaults per task.'),
    min: z.number().default(1),
    max: z.number().default(10),
    temperature: z.number().min(0).max(2).nullable().default(0).describe(`The judge's sampling temperature; ${NULL_SENDS_NONE}.`),
    max_tokens: z.number().int().positive().default(1024).describe("Room for the judge's reply: a short critique and the score line; a reasoning judge needs more."),
    max_completion_tokens: maxCompletionTokens,
    extraBody: judgeExtraBody.optional(),
    timeoutMs: z.number().int().positive().default(120_000),
  })
  .strict();

/** What a `reference` reward checks an answer with. */
export const referenceChecks = ['math', 'chrf'] as const;

const referenceReward = z
  .object({
    type: z.literal('reference'),
    check: z.enum(referenceChecks).describe('math: final-answer match; chrf: chrF against the reference translation (after Unicode NFC normalisation of both texts)'),
  })
  .strict();

const commandReward = z
  .object({
    type: z.literal('command'),
    command: z.array(z.string()).min(1).describe("argv, run in the config file's folder; receives {prompt, messages, response, reference} as JSON on stdin, prints a score"),
    timeoutMs: z.number().int().positive().default(60_000),
  })
  .strict();

export const rewardSchema = z.discriminatedUnion('type', [vllmReward, httpReward, judgeReward, referenceReward, commandReward]);

export const taskKinds = ['instruction', 'translation', 'math'] as const;

export const searchSchema = z
  .object({
    strategy: z.enum(STRATEGIES as unknown as [string, ...string[]]).default('toa'),
    budget: z.number().int().positive().default(40).describe('Plays per prompt (one model call + one reward call each).'),
    tau: z.number().positive().optional().describe('Value scale: v = sigmoid(r / tau). Defaults per task.'),
    alpha: z.number().min(0).optional().describe('Exploration weight. Defaults per task.'),
    width: z.number().int().positive().optional().describe('Responses per layer before deepening. Defaults to budget/3 (math: budget/2), at least K.'),
    topk: z.number().int().positive().default(1),
    seed: z.number().int().default(0),
    agent: z.string().optional().describe('best-of-n and prs: the single agent to sample (default: the first).'),
    moaLayers: z.number().int().positive().optional().describe('MoA layers (default 4; translation 3).'),
  })
  .strict();

const taskSchema = z
  .object({
    kind: z.enum(taskKinds).default('instruction'),
    templates: z
      .object({
        refine: z.string().optional(),
        aggregate: z.string().optional(),
        judge: z.string().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

// "" names no field a row has: every row would fail on it ("is required"), none on the config.
const rowField = z.string().min(1);

export const inputSchema = z
  .object({
    promptField: rowField.optional().describe('Field holding the prompt; default: prompt, messages, or instruction/input.'),
    idField: rowField.default('id'),
    referenceField: rowField.default('reference'),
  })
  .strict();

/**
 * An output file: a path that names a file, not a folder ("", ".", "data/"), and that means what
 * it says: a `~` or an environment variable in it is not expanded (see unexpandedPathProblem).
 */
const outputFile = z
  .string()
  .trim()
  .refine((p) => p !== '' && !/(^|[\\/])\.{0,2}$/.test(p), { message: 'must be a file path, e.g. data/sft.jsonl' })
  .superRefine((p, ctx) => {
    const problem = unexpandedPathProblem(p, "the config file's folder (in VS Code, the workspace folder)");
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

export const outputSchema = z
  .object({
    sft: outputFile.default('data/sft.jsonl'),
    preference: outputFile.default('data/preference.jsonl'),
    trace: outputFile.default('data/traces.jsonl'),
    preferenceRank: z.number().int().min(2).optional().describe('Rejected = the response ranked this (1 = best).'),
    preferenceMargin: z.number().min(0).optional().describe('Rejected = the best response at least this far below chosen.'),
    autoAcceptAbove: z.number().optional().describe('Accept the best answer automatically when its reward is at least this.'),
  })
  .strict();

/** `run.concurrency` when the config does not set it (see runConcurrencyOf). */
const RUN_CONCURRENCY = 32;

const runSchema = z
  .object({
    // Left unset rather than defaulted: a note about it is for the user who set it (concurrencyNotes).
    concurrency: z.number().int().positive().optional().describe('Model calls in flight across all prompts; reward calls are limited to the same number, apart.').meta({ default: RUN_CONCURRENCY }),
  })
  .strict();

/** Model calls in flight across all prompts: the config's `run.concurrency`, else its default. */
export function runConcurrencyOf(config: { run: { concurrency?: number | undefined } }): number {
  return config.run.concurrency ?? RUN_CONCURRENCY;
}

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    agents: z.array(agentSchema).min(1),
    reward: rewardSchema,
    // prefault, not default: zod 4 returns a default as-is, so an omitted section would skip
    // its fields' own defaults (e.g. run.concurrency); a prefault is parsed like given input.
    search: searchSchema.prefault({}),
    task: taskSchema.prefault({}),
    input: inputSchema.prefault({}),
    output: outputSchema.prefault({}),
    run: runSchema.prefault({}),
  })
  .strict();

export type AgentConfig = z.infer<typeof agentSchema>;
export type RewardConfig = z.infer<typeof rewardSchema>;
export type SearchConfig = z.infer<typeof searchSchema>;
export type TaskConfig = z.infer<typeof taskSchema>;
export type TaskKind = (typeof taskKinds)[number];
export type InputConfig = z.infer<typeof inputSchema>;
export type ToaConfig = z.infer<typeof configSchema>;

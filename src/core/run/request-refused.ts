/**
 * An endpoint that refuses a request field the config sets (a temperature its model does not
 * take, max_tokens where it wants max_completion_tokens) or rejects the model before it answered
 * once in this run, or rejects the key or its account at any time (see Rejections): every call
 * would be refused alike, so going on would only fail every prompt. It ends the run like
 * EndpointDownError, with the message that says what to change.
 */
export class RequestRefusedError extends Error {
  constructor(cause: Error, advice?: string) {
    // A server's message may end a sentence of its own ("The model `x` does not exist.").
    const said = cause.message.replace(/\.$/, '');
    super(`${said}.${advice ? ` ${advice}` : ''} Every call with these settings would be refused, so the run stops.`, { cause });
    this.name = 'RequestRefusedError';
  }
}

interface Rejection {
  advice: string | ((endpoint: Endpoint) => string);
  /** How many different prompts must meet it before it says more than that prompt's text. */
  prompts: number;
  /**
   * About the key or its account, never a prompt: it stops the run even after the endpoint
   * answered (a key revoked, credit run out mid-run), or every remaining prompt would fail alike.
   */
  key?: true;
}

/**
 * Statuses that turn away every call with the same key, model and URL. A 403 may also be about
 * one prompt's text (OpenRouter's moderation: "your input was flagged"), so it counts only once
 * two prompts met it.
 */
const REJECTIONS: Readonly<Record<number, Rejection>> = {
  401: { prompts: 1, key: true, advice: (endpoint) => `The endpoint did not accept the API key: check the key set for it (VS Code: TOA Studio: Set API Key; the CLI: ${cliKey(endpoint)}).` },
  402: { prompts: 1, key: true, advice: 'The account behind the API key cannot pay for calls: add credit, or use another key.' },
  403: { prompts: 2, advice: 'The API key may not use this model or endpoint, or the endpoint refuses these prompts (a moderation flag).' },
  404: { prompts: 1, advice: 'The endpoint does not know this model or path: check the model name and the URL.' },
};

/** Who was turned away, and where the CLI takes its key from. */
export interface Endpoint {
  /** `agent 2`, `reward`: rejections are counted per endpoint. */
  id: string;
  /** The config field naming the key's environment variable: `agents[2].apiKeyEnv`, `reward.apiKeyEnv`. */
  keyField: string;
  /** The variable that field names; undefined when it is not set, and the CLI sent no key. */
  keyEnv: string | undefined;
}

/** Where the CLI's key came from, or that it sent none: a forgotten apiKeyEnv is the likeliest 401 of a first run. */
function cliKey({ keyField, keyEnv }: Endpoint): string {
  return keyEnv ? `the environment variable ${keyEnv}, which ${keyField} names` : `no key was sent, as ${keyField} is not set: set it to the environment variable that holds the key`;
}

/** What a failed call says about why it was turned away (CallError and RewardError carry both). */
interface Refusal {
  status?: number;
  noCredit: boolean;
}

/**
 * A run's rejections: when one means every call would fail alike, the advice to give. A 403 or
 * 404 counts only before the endpoint answered once (after that, a passing fault of one prompt
 * fails that prompt, as other faults do); a 401 or 402 counts at any time.
 */
export class Rejections {
  private readonly prompts = new Map<string, Set<string>>();

  /**
   * `endpoint` is who refused, `answered` whether it has answered in this run; the advice once
   * the rejection counts.
   */
  advice(endpoint: Endpoint, refusal: Refusal, promptId: string, answered: boolean): string | undefined {
    // No credit is the 402's rejection, whatever status the server said it with (OpenAI: 429).
    const status = refusal.noCredit ? 402 : refusal.status;
    const rejection = status === undefined ? undefined : REJECTIONS[status];
    if (!rejection || (answered && !rejection.key)) return undefined;
    const key = `${endpoint.id} ${status}`;
    const seen = this.prompts.get(key) ?? new Set<string>();
    this.prompts.set(key, seen.add(promptId));
    if (seen.size < rejection.prompts) return undefined;
    const advice = typeof rejection.advice === 'string' ? rejection.advice : rejection.advice(endpoint);
    return answered ? `${advice} The key was accepted earlier in this run.` : advice;
  }
}

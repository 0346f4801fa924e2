import { RewardError } from '../rewards/types';

/**
 * An endpoint that refuses a request field the config sets (a temperature its model does not
 * take, max_tokens where it wants max_completion_tokens), or rejects the model or the request's
 * format before it answered once in this run, or rejects the key or its account at any time (see
 * Rejections): every call would be refused alike, so going on would only fail every prompt. It
 * ends the run like EndpointDownError, with the message that says what to change.
 */
export class RequestRefusedError extends Error {
  constructor(cause: Error, advice?: string) {
    // A server's message may end a sentence of its own ("The model `x` does not exist.").
    const said = cause.message.replace(/\.$/, '');
    const alike = cause instanceof RewardError && cause.unread ? 'No reply would give a score read this way' : 'Every call with these settings would be refused';
    super(`${said}.${advice ? ` ${advice}` : ''} ${alike}, so the run stops.`, { cause });
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
  /**
   * Counted per message: a 400 or 422 is as often about one prompt (too long for the model) as
   * about every request, and a prompt's own fault says that prompt's own numbers (its tokens).
   */
  sameMessage?: true;
}

/** How many different prompts a 400 or 422 must turn away with the same message. */
const SAME_MESSAGE_PROMPTS = 3;

/**
 * Replies the config reads no score from (a scorePath the reply lacks, a judge that never gives
 * a verdict in the form asked), before any reply gave one. Messages quote each reply, so they
 * are not compared; one prompt's odd reply fails only that prompt.
 */
const UNREAD: Rejection = {
  prompts: SAME_MESSAGE_PROMPTS,
  advice: (endpoint) => `No score could be read from the replies to ${SAME_MESSAGE_PROMPTS} different prompts, and none has given one yet: check ${endpoint.read ?? endpoint.request}.`,
};

/** A request format the endpoint cannot read (a vLLM /classify that takes no chat messages). */
const UNREADABLE: Rejection = {
  prompts: SAME_MESSAGE_PROMPTS,
  sameMessage: true,
  advice: (endpoint) =>
    `The endpoint refused ${SAME_MESSAGE_PROMPTS} different prompts with the same message before answering any: it likely expects another request format. Check ${endpoint.request}.`,
};

/**
 * Statuses that turn away every call with the same key, model and URL. A 403 may also be about
 * one prompt's text (OpenRouter's moderation: "your input was flagged"), so it counts only once
 * two prompts met it. A 400 or 422 is often about one prompt (too long for the model), so it
 * counts only once three prompts met it with the same message (see UNREADABLE).
 */
const REJECTIONS: Readonly<Record<number, Rejection>> = {
  400: UNREADABLE,
  401: { prompts: 1, key: true, advice: (endpoint) => `The endpoint did not accept the API key: check the key set for it (VS Code: TOA Studio: Set API Key; the CLI: ${cliKey(endpoint)}).` },
  402: { prompts: 1, key: true, advice: 'The account behind the API key cannot pay for calls: add credit, or use another key.' },
  403: { prompts: 2, advice: 'The API key may not use this model or endpoint, or the endpoint refuses these prompts (a moderation flag).' },
  404: { prompts: 1, advice: 'The endpoint does not know this model or path: check the model name and the URL.' },
  422: UNREADABLE,
};

/** Who was turned away, and where the CLI takes its key from. */
export interface Endpoint {
  /** `agent 2`, `reward`: rejections are counted per endpoint. */
  id: string;
  /** The config field naming the key's environment variable: `agents[2].apiKeyEnv`, `reward.apiKeyEnv`. */
  keyField: string;
  /** The variable that field names; undefined when it is not set, and the CLI sent no key. */
  keyEnv: string | undefined;
  /** What shapes its requests, to check when it reads none: `agents[2].baseURL and agents[2].model, and the server's chat API`. */
  request: string;
  /** What reads a score from its replies, to check when none can be read: `reward.scorePath against a reply of reward.url`. */
  read?: string;
}

/** Where the CLI's key came from, or that it sent none: a forgotten apiKeyEnv is the likeliest 401 of a first run. */
function cliKey({ keyField, keyEnv }: Endpoint): string {
  return keyEnv ? `the environment variable ${keyEnv}, which ${keyField} names` : `no key was sent, as ${keyField} is not set: set it to the environment variable that holds the key`;
}

/** What a failed call says about why it was turned away (CallError and RewardError carry all three). */
interface Refusal {
  status?: number;
  noCredit: boolean;
  /** No score could be read from the reply (RewardError.unread). */
  unread?: boolean;
  /** The error's message: the server's text, after a prefix that is the same for every call to the endpoint. */
  message: string;
}

/**
 * A refusal's message as compared across prompts: white space aside, and without the object a
 * pydantic validation error (FastAPI's 422, vLLM's 400) echoes as its `input`. For a missing
 * field that object is the whole request, prompt and all, which would make every prompt's
 * refusal differ. A value echoed on its own (a string too long) stays, and so do digits: either
 * may be what is wrong with that prompt alone.
 */
function sameMessageText(message: string): string {
  return message.replace(/,\s*(['"])input\1\s*:\s*\{[\s\S]*$/, '').replace(/\s+/g, ' ').trim();
}

/**
 * A run's rejections: when one means every call would fail alike, the advice to give. A 400,
 * 403, 404 or 422 counts only before the endpoint answered once (after that, a passing fault of
 * one prompt fails that prompt, as other faults do); a 401 or 402 counts at any time.
 */
export class Rejections {
  private readonly prompts = new Map<string, Set<string>>();

  /**
   * `endpoint` is who refused, `answered` whether it has answered in this run; the advice once
   * the rejection counts.
   */
  advice(endpoint: Endpoint, refusal: Refusal, promptId: string, answered: boolean): string | undefined {
    const found = rejectionOf(refusal);
    if (!found || (answered && !found.rejection.key)) return undefined;
    const { kind, rejection } = found;
    const key = `${endpoint.id} ${kind}${rejection.sameMessage ? ` ${sameMessageText(refusal.message)}` : ''}`;
    const seen = this.prompts.get(key) ?? new Set<string>();
    this.prompts.set(key, seen.add(promptId));
    if (seen.size < rejection.prompts) return undefined;
    const advice = adviceOf(rejection, endpoint);
    return answered ? `${advice} The key was accepted earlier in this run.` : advice;
  }
}

/**
 * What one refusal says to check, when one is enough to tell (a key, an account, a model or a
 * path: 401, 402, 404); undefined for other statuses, which a single call cannot tell from a
 * fault of its own prompt.
 */
export function firstCallAdvice(endpoint: Endpoint, refusal: Refusal): string | undefined {
  const rejection = rejectionOf(refusal)?.rejection;
  return rejection?.prompts === 1 ? adviceOf(rejection, endpoint) : undefined;
}

/** The refusal's kind (its status, or `unread`), and what every call's meeting it would mean. */
function rejectionOf(refusal: Refusal): { kind: string; rejection: Rejection } | undefined {
  if (refusal.unread) return { kind: 'unread', rejection: UNREAD };
  // No credit is the 402's rejection, whatever status the server said it with (OpenAI: 429).
  const status = refusal.noCredit ? 402 : refusal.status;
  const rejection = status === undefined ? undefined : REJECTIONS[status];
  return status === undefined || rejection === undefined ? undefined : { kind: String(status), rejection };
}

function adviceOf(rejection: Rejection, endpoint: Endpoint): string {
  return typeof rejection.advice === 'string' ? rejection.advice : rejection.advice(endpoint);
}

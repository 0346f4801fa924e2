import OpenAI from 'openai';
import { chatBody, tokenLimit, type Sampling } from './request-body';

/**
 * A request field the endpoint refuses for this model. OpenAI answers 400 with the field in
 * `param` and in the message: "Unsupported parameter: 'max_tokens' is not supported with this
 * model. Use 'max_completion_tokens' instead.", "Unsupported value: 'temperature' does not
 * support 0.7 with this model. Only the default (1) value is supported.", "Unrecognized request
 * argument supplied: foo". Only a field that came from the config counts: every later call
 * would be refused alike, and the config field to change is known. The error must say the field
 * is refused, not only name it: vLLM's "'max_tokens' ... is too large" for a long prompt names
 * max_tokens too (param max_tokens), and is about that prompt, not about the config.
 */
export function refusedParam(error: unknown, sent: readonly string[]): string | undefined {
  if (!(error instanceof OpenAI.APIError) || (error.status !== 400 && error.status !== 422)) return undefined;
  if (!REFUSED_CODES.has(String(error.code)) && !REFUSED_WORDS.test(error.message)) return undefined;
  const named = typeof error.param === 'string' ? error.param : /(?:Unsupported (?:parameter|value): |argument supplied: )'?([\w.]+)/.exec(error.message)?.[1];
  return named !== undefined && sent.includes(named) ? named : undefined;
}

const REFUSED_CODES = new Set(['unsupported_parameter', 'unsupported_value']);
const REFUSED_WORDS = /Unsupported (?:parameter|value)|Unrecognized request argument/i;

/** The top-level request fields the config decides (not the model or the messages). */
export function configuredParams(sampling: Sampling, stream: boolean): string[] {
  const fields = Object.keys(chatBody(sampling, [])).filter((key) => key !== 'model' && key !== 'messages');
  return stream ? [...fields, 'stream', 'stream_options'] : fields;
}

/**
 * What to change, as the brief for a config fix: `agents[1] (gpt5): the endpoint does not accept
 * temperature 0.7 for this model; set agents[1].temperature to 1`, with the server's own words
 * after it. `at` is the config section (`agents[1]`, `reward`).
 */
export function refusalMessage(param: string, sampling: Sampling, at: string, subject: string, serverMessage: string): string {
  const field = (name: string): string => (at ? `${at}.${name}` : name);
  const { what, fix } = refusal(param, sampling, field, serverMessage);
  return `${subject}: the endpoint does not accept ${what} for this model; ${fix} (the server said: ${serverMessage})`;
}

function refusal(param: string, sampling: Sampling, field: (name: string) => string, serverMessage: string): { what: string; fix: string } {
  if (sampling.extraBody && Object.hasOwn(sampling.extraBody, param)) return { what: `${param} (from ${field('extraBody')})`, fix: `remove ${param} from ${field('extraBody')}` };
  if (param === 'temperature' || param === 'top_p') return samplingRefusal(param, sampling[param], field(param), serverMessage);
  if (param === 'stream_options') return { what: 'stream_options (sent with streamed requests, to ask for usage)', fix: `set ${field('stream')} to false` };
  // o3 streams only for verified organisations; OpenAI says so with param "stream".
  if (param === 'stream') return { what: 'streamed replies', fix: `set ${field('stream')} to false` };
  const limit = tokenLimit(sampling);
  // The limit under the name the config gave it: the other name may suit this endpoint.
  if (param === limit.param && param === limit.field) {
    const other = param === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
    return { what: param, fix: `rename ${field(param)} to ${field(other)}` };
  }
  return { what: param, fix: `change the agent's settings that send ${param}` };
}

/** "Only the default (1) value is supported": that value is the fix; a parameter refused outright is left out with null. */
function samplingRefusal(param: string, value: number | null, field: string, serverMessage: string): { what: string; fix: string } {
  const only = /only the default \(([\d.]+)\) value/i.exec(serverMessage)?.[1];
  if (only !== undefined) return { what: `${param} ${value}`, fix: `set ${field} to ${only} (or to null, to send none)` };
  if (/unsupported value/i.test(serverMessage)) return { what: `${param} ${value}`, fix: `set ${field} to another value, or to null to send none` };
  return { what: param, fix: `set ${field} to null, to send none` };
}

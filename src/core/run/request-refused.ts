/**
 * An endpoint that refuses a request field the config sets (a temperature its model does not
 * take, max_tokens where it wants max_completion_tokens), or rejects the key, the account or the
 * model (see rejectionAdvice), and has not answered once in this run: every call would be
 * refused alike, so going on would only fail every prompt. It ends the run like
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

/**
 * What to check for a status that turns away every call with the same key, model and URL. Only
 * for an endpoint that has not answered once in the run: a key that worked an hour ago and is
 * now refused fails its prompts, as other faults do.
 */
const REJECTIONS: Readonly<Record<number, string>> = {
  401: 'The endpoint did not accept the API key: check the key set for it (VS Code: TOA Studio: Set API Key; the CLI: the environment variable apiKeyEnv names).',
  402: 'The account behind the API key cannot pay for calls: add credit, or use another key.',
  403: 'The API key may not use this model or endpoint.',
  404: 'The endpoint does not know this model or path: check the model name and the URL.',
};

export function rejectionAdvice(status: number | undefined): string | undefined {
  return status === undefined ? undefined : REJECTIONS[status];
}

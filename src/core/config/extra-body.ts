import { z } from 'zod';
import { ownValue } from '../../shared/own-value';

/**
 * `extraBody`: fields merged into each chat request as they are (the `openai` package sends
 * unknown request params unchanged), for what a server takes beyond OpenAI's fields: vLLM's
 * `chat_template_kwargs`, OpenRouter's `provider`, `reasoning_effort`, `seed`. The fields a run
 * sets itself are refused, each with the config field that sets it: a merged copy would either
 * break the run (a second `n`, a `stream` the reader does not expect) or quietly overrule a
 * setting the config shows elsewhere.
 */
function extraBodySchema(owned: Readonly<Record<string, string>>) {
  return z
    .record(z.string(), z.unknown())
    .superRefine((body, ctx) => {
      for (const key of Object.keys(body)) {
        const why = ownValue(owned, key);
        if (why !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: why });
      }
    })
    // Editors flag them too: zod's refinement does not reach the published JSON Schema.
    .meta({ propertyNames: { not: { enum: Object.keys(owned) } } })
    .describe(
      `JSON fields merged into each chat request, e.g. {"reasoning_effort": "low"}, {"chat_template_kwargs": {"enable_thinking": false}} (vLLM, Qwen3), {"provider": {"order": ["openai"]}} (OpenRouter), {"seed": 7}. Not: ${Object.keys(owned).join(', ')}.`,
    );
}

const RUN_OWNS = {
  model: 'TOA Studio sends this; set "model" beside extraBody instead',
  messages: 'TOA Studio sends this: the prompt, or the refine and aggregate templates filled in',
  stream: 'TOA Studio sends this; set "stream" beside extraBody instead',
  stream_options: 'TOA Studio sends this with "stream" (asking for usage); set "stream" beside extraBody instead',
  n: 'TOA Studio sends this: one reply per call, as each play scores one answer',
} as const;

function ownFields(fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f, `TOA Studio sends this; set "${f}" beside extraBody instead`]));
}

/** An agent's: its sampling fields have fields of their own. */
export const agentExtraBody = extraBodySchema({ ...RUN_OWNS, ...ownFields(['temperature', 'top_p', 'max_tokens', 'max_completion_tokens']) });

/** The judge's: it sets no top_p, so that one may go here. */
export const judgeExtraBody = extraBodySchema({ ...RUN_OWNS, ...ownFields(['temperature', 'max_tokens', 'max_completion_tokens']) });

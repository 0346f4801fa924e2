import { promptText, type ChatMessage } from '../chat';
import { formatPath, type Problem } from '../config/errors';
import { fillTemplate } from '../templates/fill';
import type { RewardInput } from './types';

/**
 * Fills a JSON body template. String leaves may use {{prompt}} (the last user message),
 * {{response}}, {{reference}} (empty when the row has none) and {{messages}} (the prompt's
 * messages as JSON text); a leaf that is exactly "{{messages}}" becomes the messages array
 * itself. Keys are never rewritten.
 */
export function fillBody(template: unknown, input: RewardInput): unknown {
  const values = {
    prompt: promptText(input),
    response: input.response,
    reference: input.reference ?? '',
    messages: JSON.stringify(input.messages),
  };
  return fillValue(template, values, input.messages);
}

function fillValue(value: unknown, values: Record<string, string>, messages: ChatMessage[]): unknown {
  if (typeof value === 'string') return value === '{{messages}}' ? messages : fillTemplate(value, values);
  if (Array.isArray(value)) return value.map((item) => fillValue(item, values, messages));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillValue(item, values, messages)]));
  }
  return value;
}

const PLACEHOLDERS = ['prompt', 'response', 'reference', 'messages'];

/**
 * What fillBody would get wrong without a word: a misspelt placeholder (`{{respone}}`) goes out as
 * literal text, and a body without `{{response}}` sends every answer the same request, so the
 * scorer gives them all one score and the search has nothing to choose by.
 */
export function bodyTemplateProblems(template: unknown): Problem[] {
  const path = ['reward', 'bodyTemplate'];
  const problems: Problem[] = [];
  let usesResponse = false;
  const visit = (value: unknown, at: ReadonlyArray<PropertyKey>): void => {
    if (typeof value === 'string') {
      for (const [, name] of value.matchAll(/\{\{(\w+)\}\}/g)) {
        if (name === 'response') usesResponse = true;
        else if (!PLACEHOLDERS.includes(name!)) problems.push({ path: formatPath(at), message: `unknown placeholder {{${name}}} (use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')})` });
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...at, i]));
    else if (typeof value === 'object' && value !== null) Object.entries(value).forEach(([key, item]) => visit(item, [...at, key]));
  };
  visit(template, path);
  if (!usesResponse) problems.push({ path: formatPath(path), message: 'must contain {{response}} in a value: without it every answer gets the same score' });
  return problems;
}

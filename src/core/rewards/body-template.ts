import { promptText, type ChatMessage } from '../chat';
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

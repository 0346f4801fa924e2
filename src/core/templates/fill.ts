import type { ChatMessage } from '../chat';

/**
 * Fills `{{name}}` placeholders in one pass, so text that is substituted in (a response that
 * happens to contain "{{prompt}}") is never expanded again. Unknown placeholders stay as they are.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}

/** Placeholders of `required` that `template` lacks. */
export function missingPlaceholders(template: string, required: readonly string[]): string[] {
  return required.filter((name) => !template.includes(`{{${name}}}`));
}

/**
 * Earlier answers as a numbered list with explicit delimiters, so a model can tell where one
 * answer ends even when answers contain blank lines or headings of their own.
 */
export function numberedResponses(responses: readonly string[]): string {
  return responses.map((text, i) => `[Response ${i + 1}]\n${text}\n[End of response ${i + 1}]`).join('\n\n');
}

const ROLE_LABEL: Record<ChatMessage['role'], string> = { system: 'System', user: 'User', assistant: 'Assistant' };

/**
 * The task as a template shows it: the user's message for a single-turn prompt, else the
 * conversation so far as a labelled transcript (a refine prompt must carry the earlier turns,
 * or the model would answer the last message out of context). System messages are left out:
 * callers keep them as system messages.
 */
export function conversationText(messages: readonly ChatMessage[]): string {
  const turns = messages.filter((m) => m.role !== 'system');
  if (turns.length === 1) return turns[0]!.content;
  return turns.map((m) => `${ROLE_LABEL[m.role]}${m.name === undefined ? '' : ` (${m.name})`}: ${m.content}`).join('\n\n');
}

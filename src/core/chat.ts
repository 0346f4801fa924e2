/** Chat messages as the OpenAI chat-completions API takes them. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** Who speaks, when a conversation has several of one role (OpenAI's chat and fine-tuning formats take it). */
  name?: string;
}

/** One prompt row of a dataset, normalized from whichever input shape it came in. */
export interface PromptRow {
  /** From the row's id field, else `line-<n>` of the input. */
  id: string;
  /** The conversation to answer (the last message is the user's). */
  messages: ChatMessage[];
  /** Reference answer, for reference-check rewards. */
  reference?: string;
  /** Where the row came from, for error messages. */
  source?: { file?: string; line?: number };
}

/** The text of a prompt for templates and previews: the last user message. */
export function promptText(row: Pick<PromptRow, 'messages'>): string {
  for (let i = row.messages.length - 1; i >= 0; i--) if (row.messages[i]!.role === 'user') return row.messages[i]!.content;
  return row.messages.at(-1)?.content ?? '';
}

/**
 * Conformance checks for the SFT and preference outputs, against the formats the fine-tuning
 * tools document (not against our own writer, so a writer change that breaks them shows here):
 *
 * - OpenAI chat fine-tuning (SFT rows): the format checks of OpenAI's data-preparation cookbook,
 *   https://cookbook.openai.com/examples/chat_finetuning_data_prep (a `messages` list; each
 *   message with `role` and non-empty string `content`; message keys among role, content, name,
 *   function_call, weight; roles system, user, assistant; at least one assistant message), and
 *   the fine-tuning guide's multi-turn rule, https://platform.openai.com/docs/guides/fine-tuning
 *   ("Multi-turn chat examples": every assistant message is trained on unless it has
 *   `weight: 0`; weight is 0 or 1, and only on assistant messages, as the API reference's
 *   FineTuneChatCompletionRequestAssistantMessage has it).
 * - TRL's conversational preference format with an explicit prompt (pairs),
 *   https://huggingface.co/docs/trl/dataset_formats#preference: `prompt` a list of messages,
 *   `chosen` and `rejected` lists of assistant messages. trl.apply_chat_template renders the
 *   prompt with a generation prompt only when its last role is `user` (an `assistant` last is
 *   continued instead, anything else is an error), and is_conversational needs `role` and
 *   `content` in each message.
 * - JSON Lines, https://jsonlines.org: UTF-8, one value per `\n`-terminated line. A string with
 *   a lone surrogate escape (`"\ud800"`) is valid JSON but has no UTF-8 form: Python tokenizers
 *   refuse it (surrogates not allowed), so every string must be well-formed.
 *
 * Product rules on top (README, Outputs): an SFT row is the prompt's conversation and one
 * answer, which is the only assistant message trained on; a pair has exactly one message per
 * side, and the two differ.
 *
 * Each function returns the problems found, as `line <n>: <path>: <what>`; [] when the output
 * conforms, so a test can assert on the exact list.
 */

type Json = unknown;

const OPENAI_MESSAGE_KEYS = ['role', 'content', 'name', 'function_call', 'weight'];
const ROLES = ['system', 'user', 'assistant'];

/** Problems with an SFT output's text (the whole file). */
export function sftProblems(text: string): string[] {
  return fileProblems(text, sftRowProblems);
}

/** Problems with a preference output's text (the whole file). */
export function preferenceProblems(text: string): string[] {
  return fileProblems(text, preferenceRowProblems);
}

function sftRowProblems(row: Json): string[] {
  if (!isObject(row)) return ['the line is not a JSON object'];
  const problems = extraKeys(row, ['messages'], '');
  const messages = row.messages;
  if (!Array.isArray(messages) || messages.length === 0) return [...problems, 'messages: missing or empty (OpenAI: missing_messages_list)'];
  messages.forEach((m, i) => problems.push(...openAiMessageProblems(m, `messages[${i}]`)));
  const roles = messages.map((m) => (isObject(m) ? m.role : undefined));
  if (!roles.includes('assistant')) problems.push('messages: no assistant message (OpenAI: example_missing_assistant_message)');
  const last = messages.length - 1;
  if (roles[last] !== 'assistant') problems.push(`messages[${last}].role: the answer must come last, got ${String(roles[last])}`);
  // The answer is trained on; the conversation's earlier assistant turns are context only.
  messages.forEach((m, i) => {
    if (!isObject(m) || m.role !== 'assistant') return;
    const trained = m.weight === undefined || m.weight === 1;
    if (i === last && !trained) problems.push(`messages[${i}].weight: the answer must be trained on (weight 1), got ${String(m.weight)}`);
    if (i !== last && trained) problems.push(`messages[${i}].weight: an earlier assistant turn of the prompt must have weight 0, or OpenAI trains on it`);
  });
  return problems;
}

function openAiMessageProblems(m: Json, path: string): string[] {
  if (!isObject(m)) return [`${path}: not an object`];
  const problems = extraKeys(m, OPENAI_MESSAGE_KEYS, path, ' (OpenAI: message_unrecognized_key)');
  if (!('role' in m) || !('content' in m)) problems.push(`${path}: needs role and content (OpenAI: message_missing_key)`);
  if (!ROLES.includes(m.role as string)) problems.push(`${path}.role: ${JSON.stringify(m.role)} is not one of ${ROLES.join(', ')} (OpenAI: unrecognized_role)`);
  problems.push(...contentProblems(m.content, `${path}.content`));
  if ('weight' in m) {
    if (m.role !== 'assistant') problems.push(`${path}.weight: only assistant messages take a weight`);
    else if (m.weight !== 0 && m.weight !== 1) problems.push(`${path}.weight: must be 0 or 1, got ${JSON.stringify(m.weight)}`);
  }
  return problems;
}

function preferenceRowProblems(row: Json): string[] {
  if (!isObject(row)) return ['the line is not a JSON object'];
  const problems = extraKeys(row, ['prompt', 'chosen', 'rejected'], '');
  const prompt = row.prompt;
  if (!Array.isArray(prompt) || prompt.length === 0) problems.push('prompt: must be a non-empty list of messages (explicit prompt)');
  else {
    prompt.forEach((m, i) => problems.push(...trlMessageProblems(m, `prompt[${i}]`, ROLES)));
    const lastRole = (prompt.at(-1) as { role?: unknown } | undefined)?.role;
    if (lastRole !== 'user') problems.push(`prompt[${prompt.length - 1}].role: the prompt must end with the user's turn, got ${String(lastRole)}`);
  }
  for (const side of ['chosen', 'rejected'] as const) {
    const turns = row[side];
    if (!Array.isArray(turns) || turns.length !== 1) problems.push(`${side}: must be a list of one assistant message`);
    else problems.push(...trlMessageProblems(turns[0], `${side}[0]`, ['assistant']));
  }
  const text = (side: 'chosen' | 'rejected'): unknown => (Array.isArray(row[side]) ? (row[side] as Array<{ content?: unknown }>)[0]?.content : undefined);
  if (text('chosen') !== undefined && text('chosen') === text('rejected')) problems.push('chosen, rejected: the two answers are the same');
  return problems;
}

/** A message as TRL's helpers read it: role and content, nothing else (Arrow wants one struct shape). */
function trlMessageProblems(m: Json, path: string, roles: string[]): string[] {
  if (!isObject(m)) return [`${path}: not an object`];
  const problems = extraKeys(m, ['role', 'content'], path);
  if (!roles.includes(m.role as string)) problems.push(`${path}.role: ${JSON.stringify(m.role)} is not one of ${roles.join(', ')}`);
  problems.push(...contentProblems(m.content, `${path}.content`));
  return problems;
}

function contentProblems(content: Json, path: string): string[] {
  if (typeof content !== 'string') return [`${path}: must be a string (OpenAI: missing_content)`];
  if (content === '') return [`${path}: empty (OpenAI: missing_content)`];
  if (LONE_SURROGATE.test(content)) return [`${path}: has a lone surrogate, so no UTF-8 form`];
  return [];
}

/** In a `u` regex a surrogate class matches only halves that are not part of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** `note` names the documented error, where there is one. */
function extraKeys(value: Record<string, unknown>, allowed: string[], path: string, note = ''): string[] {
  return Object.keys(value)
    .filter((k) => !allowed.includes(k))
    .map((k) => `${path ? `${path}.` : ''}${k}: not a key of the format${note}`);
}

/** The framing's problems (BOM, last newline, JSON), then each line's by `rowProblems`. */
function fileProblems(text: string, rowProblems: (row: Json) => string[]): string[] {
  if (text === '') return [];
  const problems: string[] = [];
  if (text.startsWith('\uFEFF')) problems.push('line 1: starts with a byte-order mark');
  if (!text.endsWith('\n')) problems.push('the last line has no newline');
  text
    .replace(/^\uFEFF/, '')
    .replace(/\n$/, '')
    .split('\n')
    .forEach((source, i) => {
      let row: Json;
      try {
        row = JSON.parse(source);
      } catch (error) {
        return problems.push(`line ${i + 1}: not JSON (${(error as Error).message})`);
      }
      problems.push(...rowProblems(row).map((p) => `line ${i + 1}: ${p}`));
    });
  return problems;
}

function isObject(value: Json): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { ChatMessage, PromptRow } from '../chat';
import { closestField } from '../config/field-suggestion';
import type { InputConfig } from '../config/schema';
import { isRecord } from '../util/is-record';
import { firstLoneSurrogate } from '../util/surrogates';
import { ownValue } from '../../shared/own-value';

/** A problem inside one row; the caller adds the file and line. */
interface FieldProblem {
  path: string;
  message: string;
}

export type RowResult = { row: PromptRow; problems?: undefined } | { row?: undefined; problems: FieldProblem[] };

const ROLES: readonly ChatMessage['role'][] = ['system', 'user', 'assistant'];

/**
 * OpenAI's newer name for the system message, in data exported from its tools. Not renamed
 * here: the rows written would differ from the input's, and chat templates of other servers
 * (vLLM, Ollama) know `system` only, so the dataset is the place to change it.
 */
const DEVELOPER = ': a "developer" message is OpenAI\'s name for a system message, which other servers may not take; write it as "system"';

/**
 * Turns one parsed JSONL value into a PromptRow. Accepted shapes, in this order:
 * `input.promptField` when set (a string or a chat array); else `messages` (chat array);
 * `prompt` (a string, or a chat array as in TRL's conversational prompt-only format);
 * Alpaca `instruction` + optional `input`, `system` and `history` (see alpaca). Other fields are ignored,
 * so datasets with extra columns load as they are.
 *
 * The reference answer is read only from `input.referenceField` (default `reference`). We do not
 * guess at other names (e.g. GSM8K's `answer`): a guessed field could silently feed the wrong
 * text to a reference check, so the config names the field (`"referenceField": "answer"`).
 */
export function normalizeRow(value: unknown, input: InputConfig, line: number): RowResult {
  if (!isRecord(value)) return { problems: [{ path: '', message: expected(value, 'a JSON object') }] };
  const problems: FieldProblem[] = [];
  const messages = promptMessages(value, input, problems);
  const id = rowId(value, input.idField, line, problems);
  const reference = optionalText(value, input.referenceField, problems);
  if (problems.length || !messages || id === undefined) return { problems };
  return { row: reference === undefined ? { id, messages } : { id, messages, reference } };
}

function promptMessages(value: Record<string, unknown>, input: InputConfig, problems: FieldProblem[]): ChatMessage[] | undefined {
  if (input.promptField !== undefined) {
    const field = input.promptField;
    if (!Object.hasOwn(value, field)) return fail(problems, field, 'is required (input.promptField)');
    return textOrChat(value[field], field, problems);
  }
  if ('messages' in value) return chatMessages(value.messages, 'messages', problems);
  if ('prompt' in value) return textOrChat(value.prompt, 'prompt', problems);
  if ('instruction' in value) return alpaca(value, problems);
  problems.push({ path: '', message: `no prompt: expected a "prompt", "messages" or "instruction" field; ${fieldsAdvice(value)}` });
  return undefined;
}

/** The fields a row's prompt is taken from without input.promptField. */
const PROMPT_FIELDS = ['prompt', 'messages', 'instruction'];

/** Fields of a row named in a message, at most; a wide export's columns would bury the advice. */
const FIELDS_SHOWN = 6;

/**
 * The fields a row without a known prompt field has: an export names its prompt column its own
 * way ("question", "text"), and seeing the names is what tells which one input.promptField wants.
 */
function fieldsAdvice(value: Record<string, unknown>): string {
  const names = Object.keys(value);
  if (names.length === 0) return 'the row is an empty object';
  // A misspelt prompt field ("promt", "message") is a fix in the row, not a setting.
  for (const name of names) {
    const meant = closestField(name, PROMPT_FIELDS);
    if (meant !== undefined) return `the row has ${JSON.stringify(name)}: did you mean "${meant}"?`;
  }
  const shown = names.slice(0, FIELDS_SHOWN).map((name) => JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name));
  const more = names.length > FIELDS_SHOWN ? ` and ${names.length - FIELDS_SHOWN} more` : '';
  return `the row has ${shown.join(', ')}${more}: set input.promptField to the one that holds the prompt`;
}

function textOrChat(value: unknown, path: string, problems: FieldProblem[]): ChatMessage[] | undefined {
  if (Array.isArray(value)) return chatMessages(value, path, problems);
  const text = nonEmptyString(value, path, problems, 'a string or a messages array');
  return text === undefined ? undefined : [{ role: 'user', content: text }];
}

/**
 * Alpaca, with the columns LLaMA-Factory adds: `instruction` and an optional `input` (joined with
 * a blank line) are the user's turn, an optional `system` the system message, and `history`
 * (`[[instruction, response], ...]`) the turns before. Dropping the last two would train the
 * answer as the reply to another conversation than the row's.
 */
function alpaca(value: Record<string, unknown>, problems: FieldProblem[]): ChatMessage[] | undefined {
  const before = problems.length;
  const instruction = nonEmptyString(value.instruction, 'instruction', problems, 'a string');
  const extra = alpacaColumn(value.input, 'input', problems);
  const system = alpacaColumn(value.system, 'system', problems);
  const history = alpacaHistory(value.history, problems);
  if (problems.length > before || instruction === undefined) return undefined;
  const content = extra ? `${instruction}\n\n${extra}` : instruction;
  return [...(system ? [{ role: 'system' as const, content: system }] : []), ...history, { role: 'user', content }];
}

/** An optional Alpaca column: absent, null or blank is none (exports write "" for none). */
function alpacaColumn(value: unknown, path: string, problems: FieldProblem[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return fail(problems, path, expected(value, 'a string'));
  return value.trim() ? wellFormed(value, path, problems) : undefined;
}

function alpacaHistory(value: unknown, problems: FieldProblem[]): ChatMessage[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return fail(problems, 'history', expected(value, 'an array of [instruction, response] pairs')) ?? [];
  return value.flatMap((pair: unknown, i): ChatMessage[] => {
    if (!Array.isArray(pair) || pair.length !== 2) return fail(problems, `history[${i}]`, expected(pair, 'an [instruction, response] pair')) ?? [];
    const asked = nonEmptyString(pair[0], `history[${i}][0]`, problems, 'a string');
    const answered = nonEmptyString(pair[1], `history[${i}][1]`, problems, 'a string');
    return asked === undefined || answered === undefined ? [] : [{ role: 'user', content: asked }, { role: 'assistant', content: answered }];
  });
}

function chatMessages(value: unknown, path: string, problems: FieldProblem[]): ChatMessage[] | undefined {
  if (!Array.isArray(value)) return fail(problems, path, expected(value, 'an array of messages'));
  if (value.length === 0) return fail(problems, path, 'must not be empty');
  const before = problems.length;
  const messages = value.map((m, i) => chatMessage(m, `${path}[${i}]`, problems));
  if (problems.length > before) return undefined;
  const last = messages.length - 1;
  // The run answers the conversation, so it must end with the user's turn.
  if (messages[last]!.role !== 'user') {
    return fail(problems, `${path}[${last}].role`, `the last message must be the user's, got ${messages[last]!.role}`);
  }
  // An empty system message is how exports write "no system prompt": it is none, so it is not
  // sent, and not written to the SFT row (where it would be OpenAI's missing_content error) or the trace.
  return (messages as ChatMessage[]).filter((m) => m.role !== 'system' || m.content.trim());
}

function chatMessage(value: unknown, path: string, problems: FieldProblem[]): ChatMessage | undefined {
  if (!isRecord(value)) return fail(problems, path, expected(value, 'an object with role and content'));
  const role = value.role;
  const okRole = typeof role === 'string' && (ROLES as readonly string[]).includes(role);
  if (!okRole) problems.push({ path: `${path}.role`, message: `must be one of ${ROLES.join(', ')}${role === 'developer' ? DEVELOPER : ''}` });
  // An empty system message is none (chatMessages drops it). An empty user or assistant turn is
  // a broken conversation, and OpenAI's missing_content error in an SFT row.
  if (role === 'system' && typeof value.content === 'string' && !value.content.trim()) return { role, content: '' };
  const content = nonEmptyString(value.content, `${path}.content`, problems, 'a string');
  const name = speaker(value.name, `${path}.name`, problems);
  if (!okRole || content === undefined || name === null) return undefined;
  return name === undefined ? { role: role as ChatMessage['role'], content } : { role: role as ChatMessage['role'], content, name };
}

/**
 * A message's optional `name` (several users or assistants in one conversation): kept, so the
 * agents, the reward model and the SFT row see who said what. Absent or null is none; null
 * returned is a problem recorded.
 */
function speaker(value: unknown, path: string, problems: FieldProblem[]): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  return nonEmptyString(value, path, problems, 'a string') ?? null;
}

function rowId(value: Record<string, unknown>, field: string, line: number, problems: FieldProblem[]): string | undefined {
  const raw = ownValue(value, field);
  if (raw === undefined || raw === null) return `line-${line}`;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw === 'string' && raw.trim()) return raw;
  problems.push({ path: field, message: `must be a non-empty string or a number, got ${describe(raw)}` });
  return undefined;
}

function optionalText(value: Record<string, unknown>, field: string, problems: FieldProblem[]): string | undefined {
  const raw = ownValue(value, field);
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  problems.push({ path: field, message: `must be a string or a number, got ${describe(raw)}` });
  return undefined;
}

function nonEmptyString(value: unknown, path: string, problems: FieldProblem[], what: string): string | undefined {
  if (typeof value !== 'string') return fail(problems, path, expected(value, what));
  if (!value.trim()) return fail(problems, path, 'must not be empty');
  return wellFormed(value, path, problems);
}

/**
 * The text, unless it holds half of a surrogate pair (`"\ud800"` in the JSON, often an emoji cut
 * in two): that is no character, so the SFT row and pair could not be written as UTF-8, and
 * trainers' tokenizers refuse it. Bytes that are not UTF-8 are refused as the line is read.
 */
function wellFormed(text: string, path: string, problems: FieldProblem[]): string | undefined {
  const half = firstLoneSurrogate(text);
  if (half === undefined) return text;
  return fail(problems, path, `has \\u${half.charCodeAt(0).toString(16)}, half of a surrogate pair: not a character, so the row cannot be written as UTF-8`);
}

/** Records a problem; returns undefined so callers can `return fail(...)`. */
function fail(problems: FieldProblem[], path: string, message: string): undefined {
  problems.push({ path, message });
  return undefined;
}

/** "is required" for a missing field, else what was expected and what was found. */
function expected(value: unknown, what: string): string {
  return value === undefined ? 'is required' : `must be ${what}, got ${describe(value)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

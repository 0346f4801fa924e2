import type { ChatMessage, PromptRow } from '../chat';
import type { AgentConfig } from '../config/schema';
import type { PlayRequest } from '../search/types';
import { withSystemPrompt } from '../agents/messages';
import type { TaskTemplates } from './defaults';
import { conversationText, fillTemplate, numberedResponses } from './fill';

/**
 * The messages one play sends to its agent.
 * - scratch: the row's own conversation;
 * - refine: the refine template filled with the task and the one source response;
 * - aggregate: the aggregate template filled with the task and the numbered source responses.
 * Refine and aggregate keep the row's system messages (they set the task's ground rules) and
 * put the filled template in the single user turn. The agent's system prompt goes first in
 * every mode. Source responses are inserted verbatim.
 */
export function buildPlayMessages(
  request: PlayRequest,
  row: Pick<PromptRow, 'id' | 'messages'>,
  agent: Pick<AgentConfig, 'systemPrompt'>,
  templates: Pick<TaskTemplates, 'refine' | 'aggregate'>,
): ChatMessage[] {
  return withSystemPrompt(taskMessages(request, row, templates), agent.systemPrompt);
}

function taskMessages(
  request: PlayRequest,
  row: Pick<PromptRow, 'id' | 'messages'>,
  templates: Pick<TaskTemplates, 'refine' | 'aggregate'>,
): ChatMessage[] {
  if (request.mode === 'scratch') return row.messages;
  const prompt = conversationText(row.messages);
  const system = row.messages.filter((m) => m.role === 'system');
  if (request.mode === 'refine') {
    if (request.sources.length !== 1) {
      throw new Error(`prompt "${row.id}": a refine play needs exactly one source response, got ${request.sources.length}`);
    }
    return [...system, { role: 'user', content: fillTemplate(templates.refine, { prompt, response: request.sources[0]! }) }];
  }
  if (!request.sources.length) throw new Error(`prompt "${row.id}": an aggregate play needs at least one source response`);
  return [...system, { role: 'user', content: fillTemplate(templates.aggregate, { prompt, responses: numberedResponses(request.sources) }) }];
}

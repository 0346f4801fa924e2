import type OpenAI from 'openai';
import type { ChatMessage } from '../chat';
import type { AgentConfig } from '../config/schema';

/** What of an agent's config goes into its requests. */
export type Sampling = Pick<AgentConfig, 'baseURL' | 'model' | 'temperature' | 'top_p' | 'max_tokens' | 'max_completion_tokens' | 'extraBody' | 'thinkTags'>;

type LimitName = 'max_tokens' | 'max_completion_tokens';

/** The reply's token limit: its value, the request field it goes in, and the config field that sets it. */
export interface TokenLimit {
  value: number;
  param: LimitName;
  field: LimitName;
}

export function tokenLimit(sampling: Sampling): TokenLimit {
  if (sampling.max_completion_tokens !== undefined) return { value: sampling.max_completion_tokens, param: 'max_completion_tokens', field: 'max_completion_tokens' };
  return { value: sampling.max_tokens, param: wantsMaxCompletionTokens(sampling.baseURL) ? 'max_completion_tokens' : 'max_tokens', field: 'max_tokens' };
}

/** Azure's public cloud (.com), Azure Government (.us) and Azure operated by 21Vianet (.cn). */
const AZURE_OPENAI_HOST = /\.openai\.azure\.(com|us|cn)$/;
/** Hosts of Azure AI resources (Azure AI services, Azure AI Foundry) that serve Azure OpenAI under /openai/. */
const AZURE_SERVICES_HOST = /\.(cognitiveservices|services\.ai)\.azure\.(com|us|cn)$/;
/** Azure OpenAI on such a host: the resource's /openai/, or a Foundry project's (/api/projects/<project>/openai/, its SDK's base URL). */
const AZURE_OPENAI_PATH = /^(\/api\/projects\/[^/]+)?\/openai(\/|$)/;

/**
 * OpenAI's own API and Azure OpenAI deprecated max_tokens for max_completion_tokens, which every
 * model there takes and their reasoning models (o-series, gpt-5) require. Azure OpenAI is a
 * resource's host under .openai.azure.com (.us and .cn in Azure's other clouds), or its
 * /openai/ paths under .cognitiveservices.azure.com or Azure AI Foundry's .services.ai.azure.com
 * (a Foundry project's too: /api/projects/<project>/openai/v1, where the Foundry SDK points the
 * OpenAI client), whose other paths are other Azure AI services (Foundry's /models serves other vendors' models). Other servers keep max_tokens: Ollama and LM Studio document only that name (an
 * unknown field is ignored there, which would leave the reply unlimited), OpenRouter documents it
 * too, and vLLM takes both.
 */
function wantsMaxCompletionTokens(baseURL: string): boolean {
  if (!URL.canParse(baseURL)) return false;
  const { hostname, pathname } = new URL(baseURL);
  if (hostname === 'api.openai.com' || AZURE_OPENAI_HOST.test(hostname)) return true;
  return AZURE_SERVICES_HOST.test(hostname) && AZURE_OPENAI_PATH.test(pathname);
}

type Body = Omit<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, 'stream'>;

/** An agent's requests, worked out once: the token limit, and a body for each call's messages. */
export interface ChatRequest {
  limit: TokenLimit;
  body(messages: ChatMessage[]): Body;
}

/**
 * The request: extraBody's fields (the config refuses those set here), then ours. A null
 * temperature or top_p is left out, so the server's default applies. Everything but the
 * messages is fixed per agent, and the limit's name takes a URL parse: done once, not per call.
 */
export function chatRequest(sampling: Sampling): ChatRequest {
  const limit = tokenLimit(sampling);
  const { extraBody, model } = sampling;
  const tail = {
    ...(sampling.temperature === null ? {} : { temperature: sampling.temperature }),
    ...(sampling.top_p === null ? {} : { top_p: sampling.top_p }),
    [limit.param]: limit.value,
  };
  return {
    limit,
    body: (messages) => ({
      ...extraBody,
      model,
      messages: messages.map((m) => (m.name === undefined ? { role: m.role, content: m.content } : { role: m.role, content: m.content, name: m.name }) as OpenAI.Chat.ChatCompletionMessageParam),
      ...tail,
    }),
  };
}

/** One request's body (see chatRequest, for an agent's every call). */
export function chatBody(sampling: Sampling, messages: ChatMessage[]): Body {
  return chatRequest(sampling).body(messages);
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny OpenAI-compatible endpoint on 127.0.0.1 for the workbench tests: chat completions
 * (plain and streamed, with usage) whose replies come from `reply`, and vLLM's `/classify`
 * reward route scoring each answer deterministically from its text. Nothing else.
 */
export interface ChatServer {
  /** Root URL, e.g. http://127.0.0.1:12345 (agents use `${url}/v1`, the vLLM reward the root). */
  url: string;
  /** Requests served, by route. */
  counts: { chat: number; classify: number };
  close(): Promise<void>;
}

export interface ChatServerOptions {
  /** The assistant text for the n-th chat request (0-based) of `model`. */
  reply(n: number, model: string): string;
}

interface ChatBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: Array<{ role: string; content: unknown }>;
}

export async function startChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const counts = { chat: 0, classify: 0 };
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { message: String(error) } });
      else res.destroy();
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method === 'GET' && path === '/v1/models') return send(res, 200, { object: 'list', data: [] });
    if (req.method !== 'POST') return send(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    const body = JSON.parse(await readBody(req)) as ChatBody;
    if (path === '/v1/chat/completions') {
      const model = body.model ?? 'model';
      const text = options.reply(counts.chat++, model);
      return body.stream ? streamChat(res, model, text, body.stream_options?.include_usage === true) : send(res, 200, completion(model, text));
    }
    if (path === '/classify') {
      counts.classify++;
      const last = body.messages?.at(-1)?.content;
      return send(res, 200, { object: 'list', data: [{ index: 0, label: 'LABEL_0', probs: [score(String(last ?? ''))], num_classes: 1 }] });
    }
    send(res, 404, { error: { message: `no route POST ${path}` } });
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A stable score in [0.1, 0.9) from the text, so the tree has a clear best answer. */
function score(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return 0.1 + ((h >>> 0) % 800) / 1000;
}

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

function completion(model: string, text: string): unknown {
  return {
    id: `chatcmpl-${Date.now()}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 20, completion_tokens: words(text), total_tokens: 20 + words(text) },
  };
}

function streamChat(res: ServerResponse, model: string, text: string, usage: boolean): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const base = { id: `chatcmpl-${Date.now()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
  const event = (payload: unknown): void => {
    res.write(`data: ${JSON.stringify(payload)}\n\n`);
  };
  event({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  // Two content chunks, split inside the markup: the client must join them before anything renders it.
  const cut = Math.floor(text.length / 2);
  for (const part of [text.slice(0, cut), text.slice(cut)]) event({ ...base, choices: [{ index: 0, delta: { content: part }, finish_reason: null }] });
  event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  if (usage) event({ ...base, choices: [], usage: { prompt_tokens: 20, completion_tokens: words(text), total_tokens: 20 + words(text) } });
  res.end('data: [DONE]\n\n');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      data += chunk;
    });
    req.on('end', () => resolve(data || '{}'));
    req.on('error', reject);
  });
}

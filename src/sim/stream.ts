import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { pause, type Exchange, type SimContext } from './context';
import type { FaultPlan } from './faults';

/**
 * Sends `chunks` as server-sent events (`data: {json}` and a blank line each, then
 * `data: [DONE]`), spreading the base latency evenly before each chunk. A broken plan stops
 * half-way through the content: `cut` destroys the socket once the chunks so far are flushed
 * (no finish reason, no [DONE]); `malformed` sends one event whose JSON stops mid-way and ends.
 */
export async function streamReply(ctx: SimContext, ex: Exchange, plan: FaultPlan, chunks: readonly ChatCompletionChunk[]): Promise<void> {
  const { res } = ex;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  const gap = ctx.latencyMs / chunks.length;
  // At least the role chunk and one content chunk go out before a fault strikes.
  const breakAt = Math.max(2, Math.floor(chunks.length / 2));
  for (let i = 0; i < chunks.length; i++) {
    await pause(ctx, ex, gap);
    const event = JSON.stringify(chunks[i]);
    if (i === breakAt && plan.broken === 'cut') {
      res.write(':\n\n', () => ex.breakOff());
      return;
    }
    if (i === breakAt && plan.broken === 'malformed') {
      res.end(`data: ${event.slice(0, Math.floor(event.length / 2))}\n\n`);
      return;
    }
    res.write(`data: ${event}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}

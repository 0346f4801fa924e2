import type { Exchange, SimContext } from './context';
import { HttpError, readJson, sendJson } from './http';
import { errorText } from '../core/util/errors';

/** GET /v1/models: the chat models, in OpenAI's list shape. */
export async function handleModels(ctx: SimContext, ex: Exchange): Promise<void> {
  const created = ctx.now();
  sendJson(ex.res, 200, { object: 'list', data: ctx.engine.models.map((id) => ({ id, object: 'model', created, owned_by: 'toa-sim' })) });
}

/** GET /sim/quality?text=...: the hidden quality of a response, null when the sim did not write it. */
export async function handleQuality(ctx: SimContext, ex: Exchange): Promise<void> {
  const text = ex.url.searchParams.get('text');
  if (text === null) throw new HttpError(400, 'missing query parameter: text', 'invalid_request_error', null, 'text');
  sendJson(ex.res, 200, { quality: ctx.engine.trueQuality(text) ?? null });
}

/** GET /sim/counters. */
export async function handleCounters(ctx: SimContext, ex: Exchange): Promise<void> {
  sendJson(ex.res, 200, ctx.counters.snapshot());
}

/** GET /sim/faults: the current setting. */
export async function handleGetFaults(ctx: SimContext, ex: Exchange): Promise<void> {
  sendJson(ex.res, 200, ctx.faults());
}

/** POST /sim/faults with a partial setting; answers with the whole new setting. */
export async function handleSetFaults(ctx: SimContext, ex: Exchange): Promise<void> {
  const patch = await readJson(ex.req);
  try {
    sendJson(ex.res, 200, ctx.setFaults(patch));
  } catch (err) {
    throw new HttpError(400, errorText(err));
  }
}

import { z } from 'zod';
import { configSchema } from './schema';

/** JSON Schema for toa.config.json, derived from the zod schema so the two never drift. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'TOA Studio run configuration', $id: 'https://toa-studio.dev/schemas/toa-config.schema.json' };
}

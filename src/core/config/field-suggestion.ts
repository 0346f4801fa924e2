import { z } from 'zod';
import { editDistance } from '../util/edit-distance';

/**
 * The fields `schema` knows on the object at `path`, whose unknown keys zod reported; `input` is
 * that object, which picks the variant of a discriminated union (the reward's `type`). Empty when
 * the path leads to no object. A union on the way there is not followed: the config has none
 * above an object of its own.
 */
export function knownFields(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let at: z.ZodType | undefined = schema;
  for (const key of path) at = at && child(unwrap(at), key);
  const object = at && objectOf(unwrap(at), input);
  return object ? Object.keys(object.shape) : [];
}

/**
 * The known field an unknown key was most likely meant to be: the same but for case
 * (`baseUrl`, `apikeyEnv`), else one a typo or two away (`max_token`, `temprature`); one
 * away only for short names, where two edits reach unrelated ones (`min` and `max`). Fields the
 * object already has are not offered: the key is not a misspelling of them. The CLI's flags
 * are names typed by hand too, and get the same rule (`--bugdet`).
 */
export function closestField(key: string, known: readonly string[], present: readonly string[] = []): string | undefined {
  const candidates = known.filter((field) => !present.includes(field));
  const sameButCase = candidates.find((field) => field.toLowerCase() === key.toLowerCase());
  if (sameButCase !== undefined) return sameButCase;
  let best: { field: string; distance: number } | undefined;
  for (const field of candidates) {
    const distance = editDistance(key, field);
    const limit = Math.min(key.length, field.length) <= 4 ? 1 : 2;
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { field, distance };
  }
  return best?.field;
}

/**
 * Request fields OpenAI-compatible servers take that the schema does not name: on an object
 * with `extraBody` they go there. Named so, not offered as a misspelling (`top_k` is one edit
 * from `top_p`, and means another thing).
 */
const REQUEST_FIELDS = new Set(['top_k', 'min_p', 'repetition_penalty', 'presence_penalty', 'frequency_penalty', 'seed', 'stop', 'reasoning_effort']);

/** What an unknown key on an object with these fields is likely meant to be, as a note: `did you mean "max_tokens"?`. */
export function unknownFieldNote(key: string, known: readonly string[], present: readonly string[]): string | undefined {
  if (known.includes('extraBody') && REQUEST_FIELDS.has(key)) return 'a request field: set it in extraBody';
  const meant = closestField(key, known, present);
  return meant === undefined ? undefined : `did you mean "${meant}"?`;
}

type Wrapper = z.ZodOptional | z.ZodNullable | z.ZodDefault | z.ZodPrefault;

function unwrap(schema: z.ZodType): z.ZodType {
  let at = schema;
  while (at instanceof z.ZodOptional || at instanceof z.ZodNullable || at instanceof z.ZodDefault || at instanceof z.ZodPrefault) at = (at as Wrapper).unwrap() as z.ZodType;
  return at;
}

function child(schema: z.ZodType, key: PropertyKey): z.ZodType | undefined {
  if (schema instanceof z.ZodObject && typeof key === 'string') return Object.hasOwn(schema.shape, key) ? (schema.shape[key] as z.ZodType) : undefined;
  if (schema instanceof z.ZodArray && typeof key === 'number') return schema.element as z.ZodType;
  return undefined;
}

function objectOf(schema: z.ZodType, input: unknown): z.ZodObject | undefined {
  if (schema instanceof z.ZodObject) return schema;
  if (!(schema instanceof z.ZodDiscriminatedUnion) || typeof input !== 'object' || input === null) return undefined;
  const discriminator = schema._zod.def.discriminator;
  const value = (input as Record<string, unknown>)[discriminator];
  return (schema.options as z.ZodType[]).find((option): option is z.ZodObject => {
    const tag = option instanceof z.ZodObject ? (option.shape[discriminator] as z.ZodType | undefined) : undefined;
    return tag instanceof z.ZodLiteral && tag.values.has(value as z.core.util.Literal);
  });
}

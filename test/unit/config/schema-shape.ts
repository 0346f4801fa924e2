/**
 * A small JSON Schema checker for the keywords the published config schema uses (draft 2020-12
 * subset), so the property tests can check that what the zod schema accepts, the editor's
 * schema accepts too. Returns the paths it rejects, empty when the value fits.
 */

type Schema = Record<string, unknown>;

export function schemaMismatches(schema: Schema, value: unknown, path = '$'): string[] {
  const out: string[] = [];
  const fail = (why: string): void => void out.push(`${path}: ${why}`);
  if ('const' in schema && value !== schema.const) fail(`not ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) fail('not in enum');
  if (typeof schema.type === 'string' && !hasType(value, schema.type)) return [`${path}: not ${schema.type}`];
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((option) => schemaMismatches(option as Schema, value, path).length === 0)) fail('fits none of anyOf');
  if (isObject(schema.not) && schemaMismatches(schema.not, value, path).length === 0) fail('fits not');
  if (Array.isArray(schema.oneOf)) {
    const fits = schema.oneOf.filter((option) => schemaMismatches(option as Schema, value, path).length === 0).length;
    if (fits !== 1) fail(`fits ${fits} of oneOf`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) fail('below minimum');
    if (typeof schema.maximum === 'number' && value > schema.maximum) fail('above maximum');
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) fail('not above exclusiveMinimum');
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) fail('too short');
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) fail('does not match pattern');
    if (schema.format === 'uri' && !URL.canParse(value)) fail('not a URI');
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) fail('too few items');
    if (schema.items) value.forEach((item, i) => out.push(...schemaMismatches(schema.items as Schema, item, `${path}[${i}]`)));
  }
  if (isObject(value)) out.push(...objectMismatches(schema, value, path));
  return out;
}

function objectMismatches(schema: Schema, value: Record<string, unknown>, path: string): string[] {
  const out: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const key of (schema.required ?? []) as string[]) if (!(key in value)) out.push(`${path}.${key}: required`);
  for (const [key, item] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (schema.propertyNames) out.push(...schemaMismatches(schema.propertyNames as Schema, key, `${at} (name)`));
    if (key in properties) out.push(...schemaMismatches(properties[key]!, item, at));
    else if (schema.additionalProperties === false) out.push(`${at}: not allowed`);
    else if (isObject(schema.additionalProperties)) out.push(...schemaMismatches(schema.additionalProperties, item, at));
  }
  return out;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configJsonSchema } from '../../../src/core/config/json-schema';
import { parseConfigText } from '../../../src/core/config';
import { codeSpans, section, tables, type Table } from './markdown';
import { readme, repoFile } from './repo-files';

/**
 * The README's configuration reference against the one schema: a table per section (its first
 * header cell the section in backticks, its second "default"), a row per field. A field's
 * default cell is `required`, `none`, or its schema default(s) as JSON in backticks.
 */

type Schema = { properties?: Record<string, Schema>; required?: string[]; default?: unknown; type?: unknown; items?: Schema; oneOf?: Schema[]; anyOf?: Schema[]; const?: unknown };

interface Field {
  defaults: unknown[];
  required: boolean;
}

const schema = configJsonSchema() as Schema;
const configSection = (): string => section(readme(), '## Configuration');

/** A section's fields by path (`price.inputPerMillion`), merged over the variants of a union (reward). */
function fieldsOf(node: Schema, prefix = '', out = new Map<string, Field>()): Map<string, Field> {
  for (const variant of node.oneOf ?? node.anyOf ?? [node]) {
    for (const [key, property] of Object.entries(variant.properties ?? {})) {
      const path = prefix + key;
      if (property.properties) {
        fieldsOf(property, `${path}.`, out);
        continue;
      }
      const field = out.get(path) ?? { defaults: [], required: false };
      if ('default' in property && !field.defaults.some((d) => isDeepEqual(d, property.default))) field.defaults.push(property.default);
      field.required ||= variant.required?.includes(key) ?? false;
      out.set(path, field);
    }
  }
  return out;
}

/** The schema's sections as the README names them: `agents[]`, `reward`, `search`, ... */
function schemaSections(): Map<string, Map<string, Field>> {
  const out = new Map<string, Map<string, Field>>();
  for (const [key, property] of Object.entries(schema.properties!)) {
    if (property.items) out.set(`${key}[]`, fieldsOf(property.items));
    else if (property.properties || property.oneOf) out.set(key, fieldsOf(property));
  }
  return out;
}

function referenceTables(): Map<string, Table> {
  const out = new Map<string, Table>();
  for (const table of tables(configSection())) {
    const name = /^`([^`]+)`$/.exec(table.header[0]!)?.[1];
    if (name && table.header[1] === 'default') out.set(name, table);
  }
  return out;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

test('the README has a reference table for every section of the schema, and no other', () => {
  assert.deepEqual([...referenceTables().keys()].sort(), [...schemaSections().keys()].sort());
});

test("each reference table names exactly its section's fields, one per row", () => {
  const documented = referenceTables();
  for (const [name, fields] of schemaSections()) {
    const rows = (documented.get(name)?.rows ?? []).map((row) => /^`([^`]+)`$/.exec(row[0]!)?.[1] ?? `(not one field in backticks: ${row[0]})`);
    assert.deepEqual([...rows].sort(), [...fields.keys()].sort(), `README table \`${name}\``);
  }
});

test("each field's stated default is the schema's: required, none, or the default values as JSON", () => {
  const documented = referenceTables();
  for (const [name, fields] of schemaSections()) {
    for (const row of documented.get(name)?.rows ?? []) {
      const path = row[0]!.slice(1, -1);
      const field = fields.get(path);
      if (!field) continue; // reported by the field-name test
      const cell = row[1]!;
      const where = `README \`${name}\` table, \`${path}\`: default cell "${cell}"`;
      if (field.required) assert.equal(cell, 'required', where);
      else if (field.defaults.length === 0) assert.equal(cell, 'none', where);
      else {
        const stated = codeSpans(cell).map((span) => {
          try {
            return JSON.parse(span) as unknown;
          } catch {
            throw new Error(`${where}: \`${span}\` is not a JSON value`);
          }
        });
        for (const value of stated) assert.ok(field.defaults.some((d) => isDeepEqual(d, value)), `${where}: ${JSON.stringify(value)} is no default of it (schema: ${JSON.stringify(field.defaults)})`);
        for (const value of field.defaults) assert.ok(stated.some((s) => isDeepEqual(s, value)), `${where}: does not state ${JSON.stringify(value)}`);
      }
    }
  }
});

test("the reward type table lists each type's fields", () => {
  const table = tables(configSection()).find((t) => t.header[0] === '`type`' && t.header[1] === 'fields');
  assert.ok(table, 'a table with header | `type` | fields | ... |');
  const variants = schema.properties!.reward!.oneOf!;
  const documented = new Map(table.rows.map((row) => [row[0]!.slice(1, -1), codeSpans(row[1]!).sort()]));
  const expected = new Map(variants.map((v) => [v.properties!.type!.const as string, Object.keys(v.properties!).filter((k) => k !== 'type').sort()]));
  assert.deepEqual(documented, expected);
});

test('the top-level fields that are no section ($schema) are named in the configuration section', () => {
  const spans = new Set(codeSpans(configSection()));
  const leaves = Object.keys(schema.properties!).filter((key) => !schemaSections().has(key) && !schemaSections().has(`${key}[]`));
  assert.ok(leaves.length > 0);
  for (const key of leaves) assert.ok(spans.has(key), `\`${key}\` in the README's configuration section`);
});

test("the README's example configuration is valid", () => {
  const example = /```jsonc\n([\s\S]*?)\n```/.exec(configSection())?.[1];
  assert.ok(example, 'a jsonc example in the configuration section');
  assert.doesNotThrow(() => parseConfigText(example, 'README.md'));
});

test('schemas/toa-config.schema.json is the one generated from the schema (npm run build writes it)', () => {
  assert.deepEqual(JSON.parse(repoFile('schemas/toa-config.schema.json')), configJsonSchema());
});

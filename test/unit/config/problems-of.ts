import assert from 'node:assert/strict';
import { parseConfig, parseConfigText, ValidationError } from '../../../src/core/config';

/** The problem lines a config refused with gives, one per problem; fails the test if it is accepted. */
export function problemsOf(raw: unknown): string[] {
  return problemLines(() => parseConfig(raw, 'toa.config.json'));
}

/** The same for a config file's text (JSONC), whose problems name their lines in `file`. */
export function problemsOfText(text: string, file: string): string[] {
  return problemLines(() => parseConfigText(text, file));
}

function problemLines(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    return error.message.split('\n');
  }
  assert.fail('expected a ValidationError');
}

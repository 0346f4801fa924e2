import assert from 'node:assert/strict';
import { parseConfig, ValidationError } from '../../../src/core/config';

/** The problem lines a config refused with gives, one per problem; fails the test if it is accepted. */
export function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(raw, 'toa.config.json');
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    return error.message.split('\n');
  }
  assert.fail('expected a ValidationError');
}

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

/** README's configuration reference, from its heading to the next top-level section. */
function configurationReference(): string {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## Configuration: `toa.config.json`');
  assert.ok(start >= 0, 'README has no configuration reference');
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

test("README shows extraBody's uses: reasoning effort, vLLM's chat_template_kwargs, OpenRouter's provider routing, seed", () => {
  const reference = configurationReference();
  for (const example of ['"reasoning_effort"', '"chat_template_kwargs": {"enable_thinking": false}', '"provider"', '"seed"']) assert.ok(reference.includes(example), example);
});

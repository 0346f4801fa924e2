import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointChoiceMessage } from '../../../src/extension/endpoint-choice';

test('Use Configured Endpoints without a configuration file says runs stay on the simulator', () => {
  const message = endpointChoiceMessage(false, { path: 'toa.config.json', exists: false });
  assert.match(message, /there is no toa\.config\.json, so runs still use the built-in simulated endpoints/);
  assert.doesNotMatch(message, /runs use the endpoints of/);
});

test('with a configuration file each choice names where requests go', () => {
  assert.equal(endpointChoiceMessage(false, { path: 'cfg/toa.json', exists: true }), 'TOA Studio: runs use the endpoints of cfg/toa.json.');
  assert.equal(endpointChoiceMessage(true, { path: 'toa.config.json', exists: true }), 'TOA Studio: runs use the built-in simulated endpoints.');
});

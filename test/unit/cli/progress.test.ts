import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressLine } from '../../../src/cli/progress';

/** A stream that records what is written; `tty` as a terminal or a log file. */
function stream(tty: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY: tty, columns: 80, text: '', write: (chunk: string) => ((s.text += chunk), true) };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

test('on a terminal the bar is redrawn in place; notes go above it', () => {
  const out = stream(true);
  const progress = progressLine(out);
  progress.update(1, 4, 'prompts · 9 plays');
  progress.log('note: hello');
  assert.ok(out.text.includes(`\r\u001b[2K${'█'.repeat(6)}${'░'.repeat(18)} 1/4 prompts · 9 plays`), JSON.stringify(out.text));
  assert.match(out.text, /note: hello\n/);
});

test('in a log file, a plain progress line at most every interval, never a redraw', () => {
  const out = stream(false);
  let clock = 0;
  const progress = progressLine(out, 10_000, () => clock);
  progress.update(1, 4, 'prompts · 9 plays');
  clock = 9_999;
  progress.update(2, 4, 'prompts · 18 plays');
  clock = 10_000;
  progress.update(3, 4, 'prompts · 27 plays');
  progress.log('note: hello');
  assert.equal(out.text, 'progress: 3/4 prompts · 27 plays\nnote: hello\n');
});

test('a terminal that reports 0 columns (its width unknown) gets the whole bar, not one cut by a character', () => {
  const out = Object.assign(stream(true), { columns: 0 });
  progressLine(out).update(2, 8, 'prompts · 12 plays');
  assert.ok(out.text.endsWith(' 2/8 prompts · 12 plays'), JSON.stringify(out.text));
});

import { user } from './vscode-stub';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PromptRow, SliceOptions } from '../../../src/core';
import { RunController, type RunControllerDeps, type RunRequest } from '../../../src/extension/run-controller';

/** A run whose rows are read until `read` is called (or a cancel ends the read): it stays in its setup till then. */
function pendingRun(): { request: RunRequest; signal(): AbortSignal; read(rows: PromptRow[]): void } {
  let signal: AbortSignal | undefined;
  let read: (rows: PromptRow[]) => void = () => undefined;
  const rows = (slices: SliceOptions): Promise<PromptRow[]> => {
    signal = slices.signal;
    return new Promise((resolve, reject) => {
      read = resolve;
      signal!.addEventListener('abort', () => reject(signal!.reason as Error));
    });
  };
  const request = { rows, config: {}, source: 'prompts.jsonl' } as unknown as RunRequest;
  return { request, signal: () => signal!, read: (r) => read(r) };
}

function controller(): RunController {
  const panel = { snapshot: {}, post: () => undefined };
  const deps = { panel: () => panel, showPanel: () => panel, status: { preparing: () => undefined, setupEnded: () => undefined } };
  return new RunController(deps as unknown as RunControllerDeps);
}

/** Lets the runs' awaits go on. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test("Cancel It on the warning about a busy run cancels that run, not the one started after it ended", async () => {
  const runs = controller();
  const first = pendingRun();
  const firstRun = runs.run(first.request);
  await settle();
  // A second run is asked for: refused, with the warning the user leaves up for a while.
  let choose: (choice: string | undefined) => void = () => undefined;
  user.answer = (message) => (message.includes('already in progress') ? new Promise((resolve) => (choose = resolve)) : Promise.resolve(undefined));
  const refused = runs.run(pendingRun().request);
  await settle();
  first.read([]); // the first run ends (no prompts)
  assert.equal(await firstRun, undefined);
  const next = pendingRun();
  const nextRun = runs.run(next.request);
  await settle();

  choose('Cancel It');
  assert.equal(await refused, undefined);
  assert.equal(next.signal().aborted, false, 'the warning was about the run before');

  runs.cancelShown('the-run-before');
  assert.equal(next.signal().aborted, false, "the panel's Cancel run about a run that has ended cancels nothing");
  runs.cancelShown(null);
  assert.equal(next.signal().aborted, true, "the panel's Cancel run during a setup cancels it");
  assert.equal(await nextRun, undefined);
});

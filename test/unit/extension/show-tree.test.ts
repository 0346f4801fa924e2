import { fileUri } from './vscode-stub';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { conversationKey, traceRow, type PromptRow } from '../../../src/core';
import type { ConfigSource } from '../../../src/extension/config-source';
import type { CurationService } from '../../../src/extension/curation-service';
import { PanelChannel, persistableSnapshot } from '../../../src/extension/panel/panel-channel';
import type { PanelController } from '../../../src/extension/panel/panel-controller';
import type * as vscode from 'vscode';
import { RejectedSearches } from '../../../src/extension/rejected-searches';
import { showTree } from '../../../src/extension/show-tree';
import { countPrompts } from '../../../src/shared/prompt-counts';
import type { RunEvent } from '../../../src/shared/events';
import { fakeRunEvents } from '../../ui/fixtures/fake-run';
import { tempDir } from '../dataset/temp-dir';

const dir = tempDir('toa-show-tree-');

/** The panel showing run r (three prompts done), and b.jsonl's first two rows in the trace, searched by run b. */
async function panelAndTrace(): Promise<{ channel: PanelChannel; rows: PromptRow[]; deps: Parameters<typeof showTree>[0] }> {
  const channel = new PanelChannel();
  for (const event of fakeRunEvents({ prompts: 3, budget: 3, runId: 'r' })) channel.pushEvent(event);
  const { tree } = fakeRunEvents({ prompts: 1, budget: 3 }).find((e): e is Extract<RunEvent, { type: 'prompt-done' }> => e.type === 'prompt-done')!;
  const rows: PromptRow[] = [1, 2].map((n) => ({ id: `line-${n}`, messages: [{ role: 'user', content: `b.jsonl row ${n}` }] }));
  await writeFile(dir('trace.jsonl'), rows.map((row) => JSON.stringify(traceRow(tree, row, { configHash: 'h', runId: 'b', startedAt: 0, finishedAt: 1 })) + '\n').join(''));
  const outputs = { sft: fileUri(dir('sft.jsonl')), preference: fileUri(dir('preference.jsonl')), trace: fileUri(dir('trace.jsonl')) };
  const panel = { snapshot: channel.snapshot, pushEvent: (e: RunEvent) => channel.pushEvent(e), post: (m: never) => channel.post(m), postDecision: (m: never) => channel.post(m) };
  const state = new Map<string, unknown>();
  const deps = {
    showPanel: () => panel as unknown as PanelController,
    configs: { folderFor: () => ({}), sections: async () => ({ output: {}, outputs, outputFields: { sft: 'output.sft', preference: 'output.preference', trace: 'output.trace' } }) } as unknown as ConfigSource,
    curation: { remember: () => undefined, hasSftRow: async () => false } as unknown as CurationService,
    rejected: new RejectedSearches({ get: <T>(key: string) => state.get(key) as T, update: async (key, value) => void state.set(key, value) }),
    log: { error: (line: string) => assert.fail(line), warn: (line: string) => assert.fail(line) } as unknown as vscode.LogOutputChannel,
  };
  return { channel, rows, deps };
}

test("trees Show tree puts in the panel are not the run's prompts: the run's counts and its saved trees stay the run's", async () => {
  const { channel, rows, deps } = await panelAndTrace();

  for (const row of rows) assert.equal(await showTree(deps, row.id, fileUri(dir('b.jsonl')), conversationKey(row.messages)), true);

  const s = channel.snapshot;
  assert.equal(s.prompts.length, 5, 'the shown trees are listed');
  assert.deepEqual(countPrompts(s.prompts, s.inputPrompts), { finished: 3, total: 3, skipped: 0 }, 'the header and, after a reload, the status bar count the run\'s three');
  assert.deepEqual(Object.keys(persistableSnapshot(s, 2, 1000).trees).sort(), ['line-1', 'line-2', 'p2', 'p3'], "the run's two newest trees are saved beside the shown ones");
});

test('a search shown again is the same entry in the list, so a decision made on it is the one the list shows', async () => {
  const { channel, rows, deps } = await panelAndTrace();
  const row = rows[0]!;
  for (let i = 0; i < 3; i++) assert.equal(await showTree(deps, row.id, fileUri(dir('b.jsonl')), conversationKey(row.messages)), true);
  assert.deepEqual(channel.snapshot.prompts.filter((p) => p.shown).map((p) => p.id), ['line-1']);
});

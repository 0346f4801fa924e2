import type * as vscode from 'vscode';
import { findPrompt } from '../shared/panel-state';
import { heldTree } from '../shared/held-trees';
import type { ConfigSource } from './config-source';
import type { CurationDeps } from './curation-service';
import type { LastRunFolder } from './last-run-folder';
import { showWarning } from './notify';
import type { PanelController } from './panel/panel-controller';
import type { RejectedSearches } from './rejected-searches';
import { SinkRegistry } from './workspace-sink';

interface Sources {
  log: vscode.LogOutputChannel;
  /** The panel, without opening or revealing it: the trees, statuses and searches it holds. */
  panel(): PanelController;
  configs: ConfigSource;
  lastRun: LastRunFolder;
  rejected: RejectedSearches;
}

/** What curation reads from the panel and the workspace, and where it writes. */
export function curationDeps({ log, panel, configs, lastRun, rejected }: Sources): CurationDeps {
  return {
    sinks: new SinkRegistry((r) => {
      const message = `Repaired ${r.path}: removed a cut-off last line (${r.droppedBytes} bytes), left by an earlier crash.`;
      log.warn(`${message} It began: ${JSON.stringify(r.dropped.slice(0, 120))}`);
      void showWarning(`TOA Studio: ${message}`);
    }),
    treeOf: (id, runId) => {
      const run = panel().snapshotOf(runId);
      return run && heldTree(run.trees, id);
    },
    statusOf: (id, runId) => {
      const run = panel().snapshotOf(runId);
      return run && findPrompt(run, id)?.status;
    },
    shownOf: (id, runId) => {
      const run = panel().snapshotOf(runId);
      return run && findPrompt(run, id)?.shown;
    },
    postStatus: (promptId, runId, s, reason, level) => panel().postDecision({ type: 'prompt-status', promptId, status: s, reason, level, runId }),
    target: async () => {
      const folder = lastRun.orFirst();
      return folder && (await configs.sections(folder, { strict: true }));
    },
    rejected,
  };
}

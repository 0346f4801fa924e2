import type * as vscode from 'vscode';
import type { CurationService } from './curation-service';
import type { PanelController, PanelRequest } from './panel/panel-controller';
import type { RunController } from './run-controller';
import type { SettingsWriter } from './settings-writer';

interface PanelRequestHandlers {
  runs: RunController;
  settings: SettingsWriter;
  curation: CurationService;
}

/** What the panel asks for: Cancel run to the runs, the auto-accept threshold to the settings, decisions to curation. */
export function routePanelRequests(panel: PanelController, { runs, settings, curation }: PanelRequestHandlers): vscode.Disposable {
  return panel.onDidReceiveMessage((message: PanelRequest) => {
    if (message.type === 'cancel') runs.cancelShown(message.runId);
    else if (message.type === 'set-auto-accept') void settings.setAutoAccept(message.threshold);
    else void curation.handle(message);
  });
}

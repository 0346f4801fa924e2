import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import type { RunConfig } from './config-source';
import { showError } from './notify';

/**
 * Restricted Mode: endpoints a workspace file names get no request until the user trusts it (a
 * cloned repository must not redirect the user's keys). False when refused, the user told why.
 */
export function allowedByTrust(run: RunConfig, log: vscode.LogOutputChannel): boolean {
  if (run.endpoints !== 'workspace' || vscode.workspace.isTrusted) return true;
  const file = run.file ? vscode.workspace.asRelativePath(run.file) : 'the workspace configuration';
  log.warn(`Restricted Mode: refused to send requests to the endpoints in ${file}`);
  void showError(`TOA Studio: this workspace is in Restricted Mode, so the endpoints in ${file} are not contacted (a cloned repository must not redirect your keys). Trust the workspace, or use the built-in simulated endpoints.`, 'Manage Workspace Trust', 'Use Simulated Endpoints').then((choice) => {
    if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
    if (choice === 'Use Simulated Endpoints') void vscode.commands.executeCommand(COMMANDS.useSimulatedEndpoints);
  });
  return false;
}

import * as vscode from 'vscode';
import { checkEndpoints, checkLine, RetryLines, type EndpointCheck } from '../core';
import type { ConfigSource, RunConfig } from './config-source';
import { activeEditorUri } from './editor-prompts';
import { buildModels } from './models';
import { showInformation, showWarning } from './notify';
import { askForFolder } from './open-folder';
import type { ProblemReporter } from './problems';
import type { KeyStore } from './secrets';
import { allowedByTrust } from './trust';
import { count } from '../shared/plural';

interface CheckDeps {
  configs: ConfigSource;
  keys: KeyStore;
  problems: ProblemReporter;
  log: vscode.LogOutputChannel;
}

/**
 * toaStudio.checkEndpoints: one short call to every agent and the reward model of the folder's
 * config (or the simulator's), with the keys and limits a run would use, each said in the log
 * and the failures in a warning. As `toa validate --ping` does. Undefined when nothing was
 * checked (no folder, a config with problems, Restricted Mode, a key prompt dismissed, a cancel).
 */
export async function checkEndpointsCommand(deps: CheckDeps, uri?: vscode.Uri): Promise<EndpointCheck[] | undefined> {
  const folder = deps.configs.folderFor(uri ?? activeEditorUri());
  if (!folder) {
    void askForFolder('the endpoints to check come from its configuration');
    return undefined;
  }
  let run: RunConfig;
  try {
    run = await deps.configs.resolve(await deps.configs.read(folder));
  } catch (error) {
    deps.problems.report(error, 'cannot check endpoints');
    return undefined;
  }
  if (!allowedByTrust(run, deps.log)) return undefined;
  const endpoints = count(run.config.agents.length + 1, 'endpoint');
  const title = `TOA Studio: checking ${endpoints}${run.endpoints === 'simulator' ? ' (simulated endpoints)' : ''}`;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => checkWithModels(deps, run, token));
}

async function checkWithModels(deps: CheckDeps, run: RunConfig, token: vscode.CancellationToken): Promise<EndpointCheck[] | undefined> {
  const retries = new RetryLines((line) => deps.log.info(line));
  const models = await buildModels(run, deps.keys, (notice) => retries.notice(notice), token);
  if (!models) return undefined;
  const controller = new AbortController();
  const onCancel = token.onCancellationRequested(() => controller.abort());
  try {
    const checks = await checkEndpoints(run.config, models, controller.signal);
    retries.flush();
    report(deps.log, checks);
    return checks;
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    deps.log.info('endpoint check cancelled');
    return undefined;
  } finally {
    onCancel.dispose();
  }
}

/** Every check to the log; the failures, or that all answered, in a notification. */
function report(log: vscode.LogOutputChannel, checks: readonly EndpointCheck[]): void {
  checks.forEach((check) => (check.ok ? log.info(checkLine(check)) : log.error(checkLine(check))));
  const failed = checks.filter((check) => !check.ok);
  const show = (choice: string | undefined): void => void (choice && log.show(true));
  if (!failed.length) {
    void showInformation(`TOA Studio: all ${count(checks.length, 'endpoint')} answered.`, 'Show Log').then(show);
    return;
  }
  const first = `${failed[0]!.endpoint}: ${failed[0]!.said}`;
  const more = failed.length > 1 ? ` (and ${count(failed.length - 1, 'more endpoint')}: see the log)` : '';
  void showWarning(`TOA Studio: ${failed.length} of ${count(checks.length, 'endpoint')} did not answer. ${first}${more}`, 'Show Log').then(show);
}

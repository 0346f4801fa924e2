import { dirname } from 'node:path';
import type * as vscode from 'vscode';
import { createModels, type RetryNotice, type RunModels } from '../core';
import { rewardEndpoint } from '../core/config';
import { configEndpoints, endpointOrigin } from './endpoints';
import type { RunConfig } from './config-source';
import type { KeyStore } from './secrets';

/**
 * The agents and the reward model of a run, with keys from SecretStorage bound to each
 * endpoint's origin. Undefined when the user dismissed a key prompt, or `token` (the run's
 * cancel) closed it: the run does not start.
 */
export async function buildModels(run: RunConfig, keys: KeyStore, onRetry: (n: RetryNotice) => void, token: vscode.CancellationToken): Promise<RunModels | undefined> {
  const { config } = run;
  const byOrigin = run.endpoints === 'simulator' ? new Map<string, string>() : await keys.keysFor(configEndpoints(config), token);
  if (!byOrigin) return undefined;
  const keyFor = (url: string): string | undefined => byOrigin.get(endpointOrigin(url));
  const rewardUrl = rewardEndpoint(config.reward);
  return createModels(config, {
    apiKeyFor: (_name, agent) => keyFor(agent.baseURL),
    rewardKey: () => (rewardUrl ? keyFor(rewardUrl) : undefined),
    onRetry,
    // A command reward runs beside the config file, as in the CLI.
    cwd: run.file && run.file.scheme === 'file' ? dirname(run.file.fsPath) : run.folder.uri.scheme === 'file' ? run.folder.uri.fsPath : undefined,
  });
}

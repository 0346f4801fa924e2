import { dirname, resolve } from 'node:path';
import { rewardEndpoint, type ToaConfig } from '../core/config';
import { isUnencryptedRemote } from '../core/http/loopback';

/**
 * What a config makes the CLI do beyond asking models: which environment variables it sends, to
 * which origins, and which program it runs. The CLI trusts its config as it would a Makefile: a
 * `command` reward runs any program with the whole environment, so refusing some variable names
 * (`apiKeyEnv: "AWS_SECRET_ACCESS_KEY"`) would promise a safety the config cannot give. Instead
 * `toa validate` lists all of it, for a config someone else wrote, before `toa run` acts on it.
 */

interface KeyRoute {
  env: string;
  url: string;
  /** `agents[0] (gpt)`, `reward (judge)`. */
  by: string;
  /** The config field naming the variable: `agents[0].apiKeyEnv`, `reward.apiKeyEnv`. */
  path: string;
}

/** Each environment variable the config names as a key, and where it is sent: agents, then the reward. */
export function keyRoutes(config: ToaConfig): KeyRoute[] {
  const routes: KeyRoute[] = config.agents.flatMap((a, i) => (a.apiKeyEnv ? [{ env: a.apiKeyEnv, url: a.baseURL, by: `agents[${i}] (${a.name})`, path: `agents[${i}].apiKeyEnv` }] : []));
  const reward = config.reward;
  const rewardUrl = rewardEndpoint(reward);
  if (rewardUrl && 'apiKeyEnv' in reward && reward.apiKeyEnv) routes.push({ env: reward.apiKeyEnv, url: rewardUrl, by: `reward (${reward.type})`, path: 'reward.apiKeyEnv' });
  return routes;
}

/** `toa validate`'s account: one line per variable and origin, and one for a program it runs. */
export function reachLines(config: ToaConfig, configFile: string): string[] {
  const byTarget = new Map<string, { route: KeyRoute; by: string[] }>();
  for (const route of keyRoutes(config)) {
    const key = `${route.env} ${new URL(route.url).origin}`;
    const seen = byTarget.get(key);
    if (seen) seen.by.push(route.by);
    else byTarget.set(key, { route, by: [route.by] });
  }
  const lines = [...byTarget.values()].map(({ route, by }) => `sends: $${route.env} to ${new URL(route.url).origin} (${by.join(', ')})${isUnencryptedRemote(route.url) ? ', unencrypted' : ''}`);
  if (config.reward.type === 'command') lines.push(`runs: ${JSON.stringify(config.reward.command)} in ${dirname(resolve(configFile))} (reward.command)`);
  return lines;
}

/** Keys that go over plain http to another machine: `toa run` and `toa compare` warn before any call. */
export function unencryptedKeyWarnings(config: ToaConfig): string[] {
  return keyRoutes(config)
    .filter((route) => isUnencryptedRemote(route.url))
    .map((route) => `${route.by} sends $${route.env} unencrypted to ${new URL(route.url).origin} (http, not https): anyone on the network between can read the key`);
}

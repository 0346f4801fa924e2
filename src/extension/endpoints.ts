import { rewardEndpoint, type ToaConfig } from '../core/config';
import { isUnencryptedRemote } from '../core/http/loopback';

/** A place a run sends requests to, with what the user sees when asked for its key. */
export interface Endpoint {
  /** e.g. `agent "gpt-4o"` or `reward model (vllm)`. */
  label: string;
  url: string;
}

/** Every URL a config would send requests to: agents, then the reward model if it is remote. */
export function configEndpoints(config: ToaConfig): Endpoint[] {
  const out: Endpoint[] = config.agents.map((a) => ({ label: `agent "${a.name}"`, url: a.baseURL }));
  const rewardUrl = rewardEndpoint(config.reward);
  if (rewardUrl) out.push({ label: `reward model (${config.reward.type})`, url: rewardUrl });
  return out;
}

/**
 * Keys are bound to the origin they were entered for (scheme, host, port), so a key is only
 * ever sent where the user meant it to go, whatever a configuration file says later.
 */
export function endpointOrigin(url: string): string {
  return new URL(url).origin;
}

/**
 * What the key prompt says about where the key goes. A key for a plain-http origin on another
 * machine is sent readable by anyone on the network between: said before it is typed.
 */
export function keyPromptText(url: string): string {
  const sent = `Stored in VS Code's secret storage and sent only to ${endpointOrigin(url)}`;
  return isUnencryptedRemote(url) ? `${sent}, unencrypted (http, not https): anyone on the network between can read it.` : `${sent}.`;
}

/** Whether a workspace config sends anything off this machine or runs a program (Restricted Mode). */
export function usesWorkspaceEndpoints(config: ToaConfig): boolean {
  return configEndpoints(config).length > 0 || config.reward.type === 'command';
}

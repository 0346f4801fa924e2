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

/** One origin a key can be set or cleared for, in the key commands' pick list. */
export interface KeyChoice {
  label: string;
  /** What uses it: every endpoint of the configuration at this origin (a key serves them all). */
  description: string;
  detail?: string;
  url: string;
}

/** Endpoints named in a pick item before the rest are counted. */
const NAMED_ENDPOINTS = 3;

/**
 * The origins of `endpoints` (one item each, naming every endpoint there, since one key serves
 * them all), then the other origins a key is `stored` for; with `storedOnly`, only origins with a
 * stored key.
 */
export function keyChoices(endpoints: readonly Endpoint[], stored: readonly string[], storedOnly: boolean): KeyChoice[] {
  const users = new Map<string, { url: string; labels: string[] }>();
  for (const e of endpoints) {
    const origin = endpointOrigin(e.url);
    if (storedOnly && !stored.includes(origin)) continue;
    const at = users.get(origin);
    if (at) at.labels.push(e.label);
    else users.set(origin, { url: e.url, labels: [e.label] });
  }
  const choices: KeyChoice[] = [...users].map(([origin, { url, labels }]) => ({
    label: origin,
    description: namedList(labels),
    ...(stored.includes(origin) ? { detail: 'a key is stored' } : {}),
    url,
  }));
  for (const origin of stored) if (!users.has(origin)) choices.push({ label: origin, description: 'stored key', url: origin });
  return choices;
}

function namedList(labels: readonly string[]): string {
  const named = labels.slice(0, NAMED_ENDPOINTS).join(', ');
  return labels.length > NAMED_ENDPOINTS ? `${named} and ${labels.length - NAMED_ENDPOINTS} more` : named;
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

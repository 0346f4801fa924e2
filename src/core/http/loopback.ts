/**
 * Whether a URL names this machine (`localhost`, 127.x.x.x, `[::1]`): local model servers (vLLM,
 * Ollama, LM Studio) run there, take no key by default, and a key sent there over plain http
 * crosses no network.
 */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Plain http to another machine: whoever is on the network between reads what is sent, a key included. */
export function isUnencryptedRemote(url: string): boolean {
  return new URL(url).protocol === 'http:' && !isLoopbackUrl(url);
}

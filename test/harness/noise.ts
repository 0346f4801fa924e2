/**
 * Workbench and server lines that say nothing about the extension under test: connection
 * setup, offline gallery and auth lookups (no internet here), watchers dying at stop, and the
 * Settings editor's list of the workbench's own settings it has no place for (opened by the
 * Open Setting test).
 */
const NOISE = [
  /ENOTFOUND/,
  /^\s+at /,
  /vsda/,
  /^\[(AgentHost|AgentHost:remote|AccountPolicyGate|ChatModelSelection|Service Worker|reconnection-grace-time)\]/,
  /^(Creating a socket|Resolving connection token|Resolved connection token|Updating additional builtin extensions cache)/,
  /Timed out waiting for authentication provider/,
  /No signed-in session resolved/,
  /restarting watcher after unexpected error/,
  /^SettingsEditor2: Settings not included in settingsLayout\.ts:/,
];

export function isNoise(line: string): boolean {
  return NOISE.some((pattern) => pattern.test(line));
}

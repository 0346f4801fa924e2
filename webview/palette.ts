/**
 * Agent colours come from the theme's chart palette (see `.a0`..`.a7` in styles.css), so they
 * adapt to light, dark and high-contrast themes. Past eight agents the colours repeat.
 */
const AGENT_COLOURS = 8;

export function agentClass(agent: number | undefined): string {
  return agent === undefined ? 'a-none' : `a${agent % AGENT_COLOURS}`;
}

import { COMMANDS } from './commands';

/**
 * The Get Started walkthrough (`contributes.walkthroughs`): from the simulator to the user's own
 * models, one command per step. Each step's media is a file the VSIX ships (.vscodeignore);
 * test/unit/extension/manifest.test.ts checks the files and the command links.
 */

const link = (label: string, command: string): string => `[${label}](command:${command})`;

/** One picture per theme kind: VS Code's schema for a themed walkthrough image asks for all four. */
const PANEL_IMAGE = {
  light: 'media/screenshots/panel-light.png',
  dark: 'media/screenshots/panel-dark.png',
  hc: 'media/screenshots/panel-high-contrast.png',
  hcLight: 'media/screenshots/panel-high-contrast-light.png',
};

export function walkthroughs(): Record<string, unknown>[] {
  return [
    {
      id: 'gettingStarted',
      title: 'Get Started with TOA Studio',
      description: 'Fine-tuning data from several models, searched with a reward model.',
      steps: [
        {
          id: 'tryOffline',
          title: 'Try it on sample prompts',
          description: `Until you configure endpoints, a built-in simulator answers: nothing leaves your machine and nothing is billed. Open the sample prompts, select a few lines and run **Synthesize Selection** (editor context menu).\n${link('Open Sample Prompts', COMMANDS.openSamplePrompts)}`,
          media: { markdown: 'media/walkthrough/try-offline.md' },
          completionEvents: [`onCommand:${COMMANDS.synthesizeSelection}`, `onCommand:${COMMANDS.synthesizeFile}`],
        },
        {
          id: 'curate',
          title: 'Curate in the panel',
          description: `The panel shows the agents, the rewards and the live search tree. Accept the best answer, edit it first, reject it, or build a preference pair: each decision is appended to the JSONL outputs in data/.\n${link('Open Panel', COMMANDS.openPanel)}`,
          media: { image: PANEL_IMAGE, altText: 'The TOA Studio panel: a prompt, its search tree and the selected answer' },
          completionEvents: [`onCommand:${COMMANDS.openPanel}`],
        },
        {
          id: 'configure',
          title: 'Point it at your models',
          description: `Write a starter toa.config.json for OpenAI, OpenRouter, vLLM, Ollama or LM Studio, then change each model to one your endpoint serves.\n${link('Create Configuration File', COMMANDS.createConfig)}`,
          media: { markdown: 'media/walkthrough/configure.md' },
          completionEvents: [`onCommand:${COMMANDS.createConfig}`],
        },
        {
          id: 'apiKeys',
          title: 'Add your API keys',
          description: `Keys are kept in VS Code's secret storage, one per endpoint origin, and sent only there. Local servers need none.\n${link('Set API Key', COMMANDS.setApiKey)}`,
          media: { markdown: 'media/walkthrough/api-keys.md' },
          completionEvents: [`onCommand:${COMMANDS.setApiKey}`],
        },
        {
          id: 'compare',
          title: 'Compare TOA with the baselines',
          description: `Run TOA, best-of-N, PRS, the parallel ensemble, sequential refinement and Mixture-of-Agents on the same prompts at the same budget, and open any strategy's run.\n${link('Compare Strategies on Selection', COMMANDS.compareStrategies)}`,
          media: { markdown: 'media/walkthrough/compare.md' },
          completionEvents: [`onCommand:${COMMANDS.compareStrategies}`],
        },
      ],
    },
  ];
}

/**
 * Command ids (fixed: the panel and tests rely on them) and how they appear in package.json.
 * `contributes.commands` is generated from this table (scripts/sync-manifest.ts).
 */
export const COMMANDS = {
  synthesizeSelection: 'toaStudio.synthesizeSelection',
  synthesizeFile: 'toaStudio.synthesizeFile',
  compareStrategies: 'toaStudio.compareStrategies',
  openPanel: 'toaStudio.openPanel',
  showTree: 'toaStudio.showTree',
  cancelRun: 'toaStudio.cancelRun',
  setApiKey: 'toaStudio.setApiKey',
  clearApiKey: 'toaStudio.clearApiKey',
  useSimulatedEndpoints: 'toaStudio.useSimulatedEndpoints',
  useConfiguredEndpoints: 'toaStudio.useConfiguredEndpoints',
  setSearchTau: 'toaStudio.setSearchTau',
  showComparedStrategy: 'toaStudio.showComparedStrategy',
  createConfig: 'toaStudio.createConfig',
  openSamplePrompts: 'toaStudio.openSamplePrompts',
  checkEndpoints: 'toaStudio.checkEndpoints',
} as const;

type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Context key set while a run is in progress (menus and keybindings use it). */
export const RUNNING_CONTEXT = 'toaStudio.running';

interface CommandContribution {
  command: CommandId;
  title: string;
  category: 'TOA Studio';
  icon?: string;
  enablement?: string;
}

const c = (command: CommandId, title: string, extra: Partial<CommandContribution> = {}): CommandContribution => ({ command, title, category: 'TOA Studio', ...extra });

export const COMMAND_CONTRIBUTIONS: CommandContribution[] = [
  c(COMMANDS.synthesizeSelection, 'Synthesize Selection', { icon: '$(play)' }),
  c(COMMANDS.synthesizeFile, 'Synthesize File', { icon: '$(run-all)' }),
  c(COMMANDS.compareStrategies, 'Compare Strategies on Selection', { icon: '$(graph)' }),
  c(COMMANDS.openPanel, 'Open Panel', { icon: '$(type-hierarchy)' }),
  c(COMMANDS.showTree, 'Show Search Tree'),
  c(COMMANDS.cancelRun, 'Cancel Run', { icon: '$(debug-stop)', enablement: RUNNING_CONTEXT }),
  c(COMMANDS.setApiKey, 'Set API Key...'),
  c(COMMANDS.clearApiKey, 'Clear API Key...'),
  c(COMMANDS.useSimulatedEndpoints, 'Use Simulated Endpoints'),
  c(COMMANDS.useConfiguredEndpoints, 'Use Configured Endpoints'),
  c(COMMANDS.setSearchTau, 'Set Search tau in Configuration...'),
  c(COMMANDS.showComparedStrategy, "Show a Compared Strategy's Run..."),
  c(COMMANDS.createConfig, 'Create Configuration File...'),
  c(COMMANDS.openSamplePrompts, 'Open Sample Prompts'),
  c(COMMANDS.checkEndpoints, 'Check Endpoints'),
];

import { COMMAND_CONTRIBUTIONS, COMMANDS, RUNNING_CONTEXT } from './commands';
import { configurationContribution, restrictedSettings } from './settings';
import { walkthroughs } from './walkthrough';

/**
 * The extension's part of package.json (`contributes`, `activationEvents`, `capabilities`),
 * generated from the command and settings tables so that ids and defaults live in one place.
 * scripts/sync-manifest.ts writes it (`npm run sync-manifest`); a unit test checks it is current.
 */

const JSONL = 'resourceLangId == jsonl';
const PROMPT_FILE = `${JSONL} || resourceLangId == plaintext`;
/** The configuration's default name, and other names the schema serves. */
const CONFIG_FILE = 'toa.config.json';
const CONFIG_PATTERN = '*.toa.json';

function contributes(): Record<string, unknown> {
  return {
    commands: COMMAND_CONTRIBUTIONS,
    configuration: configurationContribution(),
    // JSON with comments, as the loader reads it: the starter file's comments are no errors.
    languages: [{ id: 'jsonc', filenames: [CONFIG_FILE], filenamePatterns: [CONFIG_PATTERN] }],
    jsonValidation: [{ fileMatch: [CONFIG_FILE, CONFIG_PATTERN], url: './schemas/toa-config.schema.json' }],
    walkthroughs: walkthroughs(),
    menus: {
      commandPalette: [
        { command: COMMANDS.showTree, when: 'false' },
        { command: COMMANDS.cancelRun, when: RUNNING_CONTEXT },
        { command: COMMANDS.synthesizeSelection, when: 'editorIsOpen' },
        { command: COMMANDS.compareStrategies, when: 'editorIsOpen' },
      ],
      'editor/context': [
        { command: COMMANDS.synthesizeSelection, when: 'editorHasSelection', group: 'toaStudio@1' },
        { command: COMMANDS.compareStrategies, when: 'editorHasSelection', group: 'toaStudio@2' },
        { command: COMMANDS.synthesizeFile, when: `!editorHasSelection && (${PROMPT_FILE})`, group: 'toaStudio@3' },
      ],
      'editor/title': [
        { command: COMMANDS.synthesizeFile, when: `${JSONL} && !${RUNNING_CONTEXT}`, group: 'navigation@1' },
        { command: COMMANDS.cancelRun, when: RUNNING_CONTEXT, group: 'navigation@1' },
      ],
      'explorer/context': [{ command: COMMANDS.synthesizeFile, when: PROMPT_FILE, group: 'toaStudio@1' }],
    },
  };
}

function activationEvents(): string[] {
  return ['onLanguage:jsonl', 'workspaceContains:toa.config.json', 'onWebviewPanel:toaStudio.panel'];
}

function capabilities(): Record<string, unknown> {
  return {
    untrustedWorkspaces: {
      supported: 'limited',
      description:
        'In Restricted Mode TOA Studio sends no requests to endpoints that workspace files configure (toa.config.json), so a cloned repository cannot redirect your API keys or run commands. The built-in simulated endpoints still work.',
      restrictedConfigurations: restrictedSettings(),
    },
  };
}

/** The fields of package.json this module owns, in the order they are written. */
export function manifestFields(): Record<string, unknown> {
  return { activationEvents: activationEvents(), contributes: contributes(), capabilities: capabilities() };
}

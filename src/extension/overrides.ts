import type { ToaConfig } from '../core/config';
import { unexpandedPathProblem } from '../core/config/unexpanded-path';
import { SETTINGS_SECTION, type Settings } from './settings';

type OutputConfig = ToaConfig['output'];
type OutputKind = 'sft' | 'preference' | 'trace';

/** What named each output's path, as its errors say (see OutputFileError): `output.sft`, or `setting toaStudio.output.sft`. */
export type OutputFields = Record<OutputKind, string>;

/** The run config with the user's settings laid over it (settings win where they are set). */
export function withSettings(config: ToaConfig, settings: Settings): ToaConfig {
  return {
    ...config,
    search: {
      ...config.search,
      ...(settings['search.strategy'] === null ? {} : { strategy: settings['search.strategy'] }),
      ...(settings['search.budget'] === null ? {} : { budget: settings['search.budget'] }),
    },
    output: outputWithSettings(config.output, settings),
  };
}

export function outputWithSettings(output: OutputConfig, settings: Settings): OutputConfig {
  const auto = settings.autoAcceptAbove;
  // "off" wins over the file's threshold: the panel's Off button must turn auto-accept off.
  const { autoAcceptAbove: _fromFile, ...rest } = output;
  return {
    ...(auto === 'off' ? rest : output),
    ...(settings['output.sft'] === null ? {} : { sft: settings['output.sft'] }),
    ...(settings['output.preference'] === null ? {} : { preference: settings['output.preference'] }),
    ...(settings['output.trace'] === null ? {} : { trace: settings['output.trace'] }),
    ...(typeof auto === 'number' ? { autoAcceptAbove: auto } : {}),
  };
}

/**
 * What chose an output's path in Restricted Mode, where the config file's paths are not taken
 * (see trustedOutput). Said as a field is, so that the lock's errors read as well: `(the run's
 * lock, beside the default output.trace, which Restricted Mode uses)`.
 */
function restrictedOutput(kind: OutputKind): string {
  return `the default output.${kind}, which Restricted Mode uses`;
}

/**
 * The setting that set an output's path (as outputWithSettings lays it over the file's), else
 * the config's field, or in Restricted Mode (`trusted` false) the default that stands in for the
 * field: an error that named the file's field would send the user to a file whose path is not
 * the one written.
 */
export function outputFields(settings: Settings, trusted: boolean): OutputFields {
  const field = (kind: OutputKind): string => {
    if (settings[`output.${kind}`] !== null) return `setting ${SETTINGS_SECTION}.output.${kind}`;
    return trusted ? `output.${kind}` : restrictedOutput(kind);
  };
  return { sft: field('sft'), preference: field('preference'), trace: field('trace') };
}

/**
 * An output path a setting gives with `~` or an environment variable, which nothing here expands
 * (see unexpandedPathProblem): the config file's are refused by its schema, the settings' here,
 * before a run or a decision writes to a folder literally named `~`. Undefined when none does.
 */
export function unexpandedOutputSetting(settings: Settings): string | undefined {
  for (const kind of ['sft', 'preference', 'trace'] as const) {
    const path = settings[`output.${kind}`];
    const problem = path === null ? undefined : unexpandedPathProblem(path, 'the workspace folder');
    if (problem !== undefined) return `setting ${SETTINGS_SECTION}.output.${kind} ("${path}") ${problem}`;
  }
  return undefined;
}

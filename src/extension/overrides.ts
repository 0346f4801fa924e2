import type { ToaConfig } from '../core/config';
import type { Settings } from './settings';

type OutputConfig = ToaConfig['output'];

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

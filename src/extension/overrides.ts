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
  return {
    ...output,
    ...(settings['output.sft'] === null ? {} : { sft: settings['output.sft'] }),
    ...(settings['output.preference'] === null ? {} : { preference: settings['output.preference'] }),
    ...(settings['output.trace'] === null ? {} : { trace: settings['output.trace'] }),
    ...(settings.autoAcceptAbove === null ? {} : { autoAcceptAbove: settings.autoAcceptAbove }),
  };
}

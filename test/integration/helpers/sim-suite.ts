import { startTestSim, type TestSim } from './sim';
import { activateExtension, clearOutputs, closeAllEditors, resetSettings, restoreConfig, setSettings, stopAnyRun, writeConfig } from './workspace';

export interface SimSuiteOptions {
  /** The simulated endpoints the suite's config points at. */
  sim: Parameters<typeof startTestSim>[0];
  /** Sections of toa.config.json laid over the fixture's (see writeConfig). */
  config: Record<string, Record<string, unknown>>;
  /** Workspace settings for the whole suite, reset after it. */
  settings?: Record<string, unknown>;
  /** Settings the suite's tests set: reset after it too. */
  resetAfter?: string[];
  /** Activate the extension before the sim starts (default). The VSIX and Restricted Mode suites leave that to their first test, which checks it. */
  activate?: boolean;
  /** `each`: no outputs before each test; `suite`: none before the suite's first test, and none left after its last. */
  clearOutputs?: 'each' | 'suite';
}

/**
 * The shape of a suite that runs against the simulated endpoints: the sim started and the
 * workspace config and settings pointed at it before the suite, any run left stopped after each
 * test, and all of it undone after the suite. Returns the suite's sim, usable once its tests run
 * (the suite closes it).
 */
export function simSuite(options: SimSuiteOptions): Omit<TestSim, 'close'> {
  let started: TestSim | undefined;
  const sim = (): TestSim => {
    if (!started) throw new Error('the suite sim starts in suiteSetup');
    return started;
  };
  const settings = options.settings ?? {};

  suiteSetup(async () => {
    if (options.activate !== false) await activateExtension();
    started = await startTestSim(options.sim);
    await writeConfig(started.url, options.config);
    if (Object.keys(settings).length) await setSettings(settings);
    if (options.clearOutputs === 'suite') await clearOutputs();
  });

  teardown(stopAnyRun);

  suiteTeardown(async () => {
    const reset = [...Object.keys(settings), ...(options.resetAfter ?? [])];
    if (reset.length) await resetSettings(reset);
    await restoreConfig();
    if (options.clearOutputs === 'suite') await clearOutputs();
    await closeAllEditors();
    await started?.close();
  });

  if (options.clearOutputs === 'each') setup(clearOutputs);

  return {
    get url() {
      return sim().url;
    },
    get sim() {
      return sim().sim;
    },
    get headers() {
      return sim().headers;
    },
    counters: () => sim().counters(),
  };
}

import type * as vscode from 'vscode';
import type { PromptRow, SliceOptions } from '../core';
import type { PromptCodeLensProvider } from './code-lens';
import type { ConfigSections, ConfigSource } from './config-source';
import { activeEditorUri, type EditorPrompts } from './editor-prompts';
import type { LastRunFolder } from './last-run-folder';
import { askForFolder } from './open-folder';
import type { LinesRead, ProblemReporter } from './problems';
import type { RunController, RunResult } from './run-controller';

interface EditorRunDeps {
  configs: ConfigSource;
  problems: ProblemReporter;
  runs: RunController;
  lenses: PromptCodeLensProvider;
  lastRun: LastRunFolder;
  log: vscode.LogOutputChannel;
}

/** Reads the run's prompts from the editor (a selection, a file), with the input settings of their folder's config. */
type CollectPrompts = (input: ConfigSections['input']) => Promise<EditorPrompts | undefined>;

/** The runs the editor's commands start: prompts from the editor, run with their folder's config. */
export class EditorRun {
  constructor(private readonly deps: EditorRunDeps) {}

  /** Rows from the editor, then the run; every failure is reported, none thrown at the user. */
  async run(collect: CollectPrompts, compare = false, file?: vscode.Uri, resume = false): Promise<RunResult | undefined> {
    const { configs, problems, log } = this.deps;
    // The folder of the file the prompts come from (collect reads that file):
    // its config says how to read its rows, and the run uses the same read of it.
    const folder = configs.folderFor(file ?? activeEditorUri());
    if (!folder) {
      log.warn(`${compare ? 'cannot compare strategies' : 'cannot synthesize'}: no folder is open`);
      void askForFolder('runs take their configuration from it and write their outputs into it');
      return undefined;
    }
    let read: LinesRead | undefined;
    try {
      // Throws the config's problems: rows read with the defaults of a config that failed to load
      // would report misleading row errors (a `promptField` the broken file names, say) instead.
      const config = await configs.read(folder);
      problems.clear([configs.configUri(folder)]);
      const prompts = await collect(configs.sectionsOf(config).input);
      if (!prompts) throw new Error('open a file with prompts first');
      // Read as the run's first step (see RunRequest.rows).
      const rows = async (slices: SliceOptions): Promise<PromptRow[]> => {
        const found = await prompts.rows(slices);
        log.info(`prompts from ${prompts.source}: ${found.length}`);
        problems.clearLines(prompts.uri, prompts.lines);
        read = prompts.lines && { uri: prompts.uri, lines: prompts.lines };
        return found;
      };
      // The folder is remembered as the run starts: the panel shows its prompts from then on, also
      // when an error stops it or the window is reloaded mid-run, and curation writes to its outputs.
      const started = (): void => this.deps.lastRun.remember(folder);
      const result = await this.deps.runs.run({ rows, config, source: prompts.source, input: prompts.uri, compare, resume, started });
      this.deps.lenses.refresh();
      return result;
    } catch (error) {
      problems.report(error, compare ? 'cannot compare strategies' : 'cannot synthesize', read);
      return undefined;
    }
  }
}

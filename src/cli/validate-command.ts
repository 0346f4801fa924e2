import { concurrencyNotes, formatProblem, resolveConfigSearch, ValidationError, type ToaConfig } from '../core/config';
import { checkEndpoints, checkLine } from '../core/run/check-endpoints';
import { RetryLines } from '../core/run/retry-lines';
import { needsReferences, readPromptRows } from '../core/dataset';
import { parse, UsageError } from './args';
import { validateOptions } from './command-options';
import { autoAcceptNotes } from './accept-note';
import { reachLines } from './config-reach';
import { checkOutputPaths, cliModels, loadCliConfig, missingKeys, outputPaths } from './session';
import { count } from '../shared/plural';

/** `toa validate`: every problem of a config (and optionally a dataset), or a summary of what will run. */
export async function validateCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, validateOptions);
  if (!values.config) throw new UsageError('needs --config <file>');
  const config = await loadCliConfig(values.config);
  // What `toa run` refuses, validate reports too: a config it calls ok must not fail there.
  checkOutputPaths(values.config, outputPaths(values.config, config.output), values.input);
  const { params, notes } = resolveConfigSearch(config);
  [...notes, ...concurrencyNotes(config), ...autoAcceptNotes(config)].forEach((n) => process.stdout.write(`note: ${n}\n`));
  // A warning, not a problem: the key may be set where the run happens. The reward's key counts too.
  missingKeys(config, values.config).forEach((p) => process.stdout.write(`warning: ${formatProblem(p)}\n`));
  process.stdout.write(
    `${values.config}: ok — ${count(config.agents.length, 'agent')} (${config.agents.map((a) => a.name).join(', ')}), reward ${config.reward.type}, ` +
      `${params.strategy} with budget ${params.budget} (tau ${params.tau}, alpha ${params.alpha}, width ${params.width}, topk ${params.topk}, seed ${params.seed}), task ${config.task.kind}\n`,
  );
  // What the config would send where, and run: a config is trusted as code (see config-reach.ts).
  reachLines(config, values.config).forEach((line) => process.stdout.write(`${line}\n`));
  if (values.input) {
    let rows = 0;
    for await (const _row of readPromptRows(values.input, config.input, { requireReference: needsReferences(config.reward) })) rows++;
    // What `toa run` refuses, as above: an empty file is a wrong path or a failed export.
    if (rows === 0) throw new ValidationError([{ file: values.input, path: '', message: 'has no prompts to run on' }]);
    process.stdout.write(`${values.input}: ok — ${count(rows, 'prompt')}\n`);
  }
  return values.ping ? ping(config, values.config) : 0;
}

/** `--ping`: one short call to every agent and the reward model, a line for each; 1 when any failed. */
async function ping(config: ToaConfig, configFile: string): Promise<number> {
  const retries = new RetryLines((line) => process.stdout.write(`${line}\n`));
  // Never aborted: Ctrl-C ends the process, as a check writes nothing.
  const checks = await checkEndpoints(config, cliModels(config, configFile, (n) => retries.notice(n)), new AbortController().signal);
  retries.flush();
  checks.forEach((check) => process.stdout.write(`${checkLine(check)}\n`));
  const failed = checks.filter((check) => !check.ok).length;
  if (failed) process.stderr.write(`toa validate: ${failed} of ${count(checks.length, 'endpoint')} did not answer\n`);
  return failed ? 1 : 0;
}

import type { AgentConfig } from '../config/schema';
import type { Clock } from '../util/clock';
import { hashString, seededRandom } from '../util/random';
import { redactReason } from '../util/redact';
import type { AgentDeps } from './agent';
import { classifyChatError } from './faults';
import { configuredParams, refusalMessage, refusedParam } from './refused-param';
import { finalReason, type Fault, type RetryOptions } from './retry';
import { CallError } from './types';

/** An agent's retries: the same for every call; only the signal is the call's own. */
export function agentRetries(config: AgentConfig, deps: AgentDeps, clock: Clock): Omit<RetryOptions, 'signal'> {
  const classify = faultClassifier(config, deps, clock);
  return {
    maxRetries: config.maxRetries,
    clock,
    random: deps.random ?? seededRandom(hashString(`retry:${config.name}`)),
    classify: (error) => redactReason(classify(error), deps.apiKey),
    onRetry: (r) => deps.onRetry?.({ agent: config.name, ...r }),
    fail: (fault, attempts) =>
      fault.refused
        ? new CallError(fault.reason, config.name, { attempts, status: fault.status, refused: true })
        : new CallError(`agent "${config.name}": ${finalReason(fault, attempts)}`, config.name, { attempts, status: fault.status, unreachable: fault.unreachable, noCredit: fault.noCredit }),
  };
}

/** A refused field is a config problem: said with the field to change, as the config names it. */
function faultClassifier(config: AgentConfig, deps: AgentDeps, clock: Clock): (error: unknown) => Fault {
  const sent = configuredParams(config, config.stream);
  return (error) => {
    const fault = classifyChatError(error, clock.now());
    const param = refusedParam(error, sent);
    if (param === undefined) return fault;
    const subject = deps.configPath === undefined ? `agent "${config.name}"` : `${deps.configPath} (${config.name})`;
    return { ...fault, retryable: false, refused: true, reason: refusalMessage(param, config, deps.configPath ?? '', subject, fault.reason) };
  };
}

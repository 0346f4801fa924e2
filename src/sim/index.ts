/** The simulated endpoints: start one with `startSim`, point agents at `${url}/v1`. */
export { startSim } from './server';
export { UnservedModelError } from './faults';
export { DEFAULT_SIM_AGENTS, NO_FAULTS, SIM_DEFAULTS, SIM_REWARD_MODEL } from './defaults';
export type { SimCounters, SimOptions, SimServer } from './types';

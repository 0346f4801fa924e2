/**
 * fast-check settings for the property tests: a fixed seed, so CI checks the same cases every
 * run. To hunt for new counterexamples locally, `TOA_PROPS_SEED=<n>` picks other cases and
 * `TOA_PROPS_RUNS=<n>` checks more of them; a failure prints the seed and path that replay it.
 */
export function propertyRuns(seed: number, numRuns: number): { seed: number; numRuns: number } {
  return {
    seed: process.env.TOA_PROPS_SEED ? Number(process.env.TOA_PROPS_SEED) : seed,
    numRuns: process.env.TOA_PROPS_RUNS ? Number(process.env.TOA_PROPS_RUNS) : numRuns,
  };
}

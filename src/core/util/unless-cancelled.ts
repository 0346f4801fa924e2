/**
 * `work`'s result, or undefined when it failed because `signal` was aborted: a cancel during a
 * run's setup (reading a big trace), after which the run starts cancelled and does nothing, so
 * what the work would have returned is not needed. Any other failure is rethrown.
 */
export async function unlessCancelled<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (signal.aborted) return undefined;
    throw error;
  }
}

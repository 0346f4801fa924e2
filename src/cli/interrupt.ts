import type { ProgressLine } from './progress';

/** First Ctrl-C (or SIGTERM) cancels cleanly (calls in flight aborted, outputs whole); a second one exits. */
export function interruptHandler(controller: AbortController, progress: ProgressLine): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    // A SIGTERM comes from a process manager or `kill`, not a keyboard: no advice to press keys.
    // Said as the signal comes, before anything may be in flight; the run's end says what was cut short.
    progress.log(signal === 'SIGINT' ? 'cancelling (Ctrl-C again to quit at once)' : `cancelling (${signal})`);
    controller.abort(new Error('cancelled by user'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

import type { ProgressLine } from './progress';

/** First Ctrl-C (or SIGTERM) cancels cleanly (calls in flight aborted, outputs whole); a second one exits. */
export function interruptHandler(controller: AbortController, progress: ProgressLine): () => void {
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    progress.log('cancelling: aborting calls in flight (Ctrl-C again to quit at once)');
    controller.abort(new Error('cancelled by user'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

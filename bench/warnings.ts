/**
 * Counts Node's MaxListenersExceededWarning instead of printing it each time: a run with
 * run.concurrency above 10 attaches one abort listener per play in flight to long-lived
 * signals, which Node flags (the listeners are removed again; see docs/benchmarks.md). Other
 * warnings are printed as usual.
 */
let maxListenerWarnings = 0;

export function quietMaxListenerWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'MaxListenersExceededWarning') maxListenerWarnings++;
    else process.stderr.write(`${warning.name}: ${warning.message}\n`);
  });
}

export function maxListenerWarningCount(): number {
  return maxListenerWarnings;
}

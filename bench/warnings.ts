/**
 * Counts Node's MaxListenersExceededWarning instead of printing it each time (Node raises it when
 * more than 10 abort listeners sit on one signal, e.g. many plays waiting on a shared signal);
 * the report says how many there were. Other warnings are printed as usual.
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

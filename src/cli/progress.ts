/**
 * A one-line progress bar on stderr. Written by hand rather than with a package: it is a dozen
 * lines, and it must not redraw when stderr is not a terminal: a log file (CI, nohup) gets a
 * plain progress line at most every `logEveryMs` instead.
 */
export interface ProgressLine {
  update(done: number, total: number | undefined, detail: string): void;
  log(line: string): void;
  end(): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr, logEveryMs = 10_000, now: () => number = Date.now): ProgressLine {
  const tty = stream.isTTY === true;
  let last = '';
  let logged = now();
  const clear = (): void => {
    if (tty && last) stream.write('\r\x1b[2K');
  };
  return {
    update(done, total, detail) {
      if (!tty) {
        if (now() - logged < logEveryMs) return;
        logged = now();
        stream.write(`progress: ${done}${total ? `/${total}` : ''} ${detail}\n`);
        return;
      }
      const width = 24;
      const frac = total ? Math.min(1, done / total) : 0;
      const bar = total ? '█'.repeat(Math.round(frac * width)).padEnd(width, '░') : '';
      // A terminal that does not know its width (`script`, some containers' ttys) says 0 columns: cut at 100 then too.
      last = `${bar} ${done}${total ? `/${total}` : ''} ${detail}`.slice(0, (stream.columns || 100) - 1);
      stream.write(`\r\x1b[2K${last}`);
    },
    log(line) {
      clear();
      stream.write(`${line}\n`);
      if (tty && last) stream.write(last);
    },
    end() {
      clear();
      last = '';
    },
  };
}

/** For --quiet and batch commands: no bar, notes on stderr. */
export function quietProgress(): ProgressLine {
  return { update: () => undefined, log: (line) => void process.stderr.write(`${line}\n`), end: () => undefined };
}

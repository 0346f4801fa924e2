/**
 * A one-line progress bar on stderr. Written by hand rather than with a package: it is a dozen
 * lines, and it must stay quiet when stderr is not a terminal (CI logs get one line per prompt).
 */
export interface ProgressLine {
  update(done: number, total: number | undefined, detail: string): void;
  log(line: string): void;
  end(): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  const tty = stream.isTTY === true;
  let last = '';
  const clear = (): void => {
    if (tty && last) stream.write('\r\x1b[2K');
  };
  return {
    update(done, total, detail) {
      if (!tty) return;
      const width = 24;
      const frac = total ? Math.min(1, done / total) : 0;
      const bar = total ? '█'.repeat(Math.round(frac * width)).padEnd(width, '░') : '';
      last = `${bar} ${done}${total ? `/${total}` : ''} ${detail}`.slice(0, (stream.columns ?? 100) - 1);
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

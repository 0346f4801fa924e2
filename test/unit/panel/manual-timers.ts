import type { Timers } from '../../../src/extension/panel/event-batcher';

/** Hand-driven time: `advance` fires due timers in order. */
export function manualTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms: number) {
      const end = now + ms;
      for (let due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0]; due; due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0]) {
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
  };
}

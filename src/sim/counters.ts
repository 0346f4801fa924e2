import type { FaultKind } from './faults';
import type { SimCounters } from './types';

/** The server's running counts; `snapshot()` hands out a copy so callers cannot change them. */
export class CounterBoard {
  private readonly state: SimCounters = {
    chatRequests: 0,
    rewardRequests: 0,
    aborted: 0,
    inFlight: 0,
    faults: { '429': 0, '500': 0, slow: 0, cut: 0, malformed: 0, '401': 0, '402': 0 },
  };

  started(kind: 'chat' | 'reward'): void {
    if (kind === 'chat') this.state.chatRequests++;
    else this.state.rewardRequests++;
    this.state.inFlight++;
  }

  ended(aborted: boolean): void {
    this.state.inFlight--;
    if (aborted) this.state.aborted++;
  }

  fault(kind: FaultKind): void {
    this.state.faults[kind]++;
  }

  snapshot(): SimCounters {
    return { ...this.state, faults: { ...this.state.faults } };
  }
}

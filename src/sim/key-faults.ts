import { count } from '../shared/plural';
import { HttpError } from './http';
import type { SimFaults } from './types';

/** The fault settings that stop a model's key after a number of calls (401 and 402, see KeyLedger). */
export const KEY_LIMITS: readonly string[] = ['revokeKeyAfter', 'outOfCreditAfter'];

/**
 * Counts each model's calls, so a key can stop working after its Nth: the calls of one model
 * are counted since the server started, whatever they met, in the order they arrived.
 */
export class KeyLedger {
  private readonly calls = new Map<string, number>();

  /**
   * Counts a call of `model`; the refusal it gets when its key stopped working before it (a
   * revoked key wins over spent credit when both have run out).
   */
  refusal(faults: SimFaults, model: string): HttpError | undefined {
    const before = this.calls.get(model) ?? 0;
    this.calls.set(model, before + 1);
    const revoked = faults.revokeKeyAfter[model];
    if (revoked !== undefined && before >= revoked) {
      const message = `Incorrect API key provided (simulated: the key for ${model} was revoked after ${count(revoked, 'call')}).`;
      return new HttpError(401, message, 'invalid_request_error', 'invalid_api_key');
    }
    const credit = faults.outOfCreditAfter[model];
    if (credit !== undefined && before >= credit) {
      const message = `Insufficient credits (simulated: the account behind the key for ${model} ran out after ${count(credit, 'call')}).`;
      return new HttpError(402, message, 'insufficient_quota', 'insufficient_credits');
    }
    return undefined;
  }
}

import { CallOutcome } from '../../session/call-outcome';

/** A final non-2xx SIP status, or our own ring timeout (CANCEL sent). */
export type SipFinal = number | 'timeout';

export interface SipClassification {
  outcome: CallOutcome;
  /** Whether the next trunk should be tried for this call. */
  failover: boolean;
  /** The carrier says the number does not exist: the lead's number is marked invalid. */
  invalidNumber: boolean;
}

export interface ClassifyContext {
  /** The far end had already rung (180/183) when the ring timeout fired. */
  ringing?: boolean;
}

/**
 * What a call attempt's final answer means, and whether another trunk might do better.
 *
 * Failover is for answers about the route, not about the customer: 5xx (the carrier or its gateway
 * failed), 408 and our own timeout without ringing (nothing answered), 401/407 (our credentials at
 * that carrier), 482/483 (routing loop), 488/606 (that carrier cannot carry our media). Answers
 * about the customer (busy, declined, no answer after ringing, number unknown) end the attempt.
 *
 * 408 and 'timeout' are both a no_answer outcome and a failover trigger: when trunks remain, another
 * one is tried; when none remains, the call ends as no_answer. A timeout after the far end rang is
 * the customer not answering: no_answer, no failover (otherwise the customer would ring twice).
 * 403 is a carrier refusal (carrier_error) without failover: it usually means this number or
 * destination is barred, which another route would not change; 503 is a carrier error with failover.
 */
export function classifySipFinal(status: SipFinal, context: ClassifyContext = {}): SipClassification {
  const result = (outcome: CallOutcome, failover: boolean, invalidNumber = false): SipClassification => ({ outcome, failover, invalidNumber });
  if (status === 'timeout') return result('no_answer', !context.ringing);
  if (!Number.isInteger(status) || status < 300 || status > 699) throw new RangeError(`not a final failure status: ${status}`);
  switch (status) {
    case 486:
    case 600:
    case 603:
      return result('busy', false);
    case 480:
    case 487:
      return result('no_answer', false);
    case 408:
      return result('no_answer', true);
    case 404:
    case 410:
    case 484:
    case 604:
      return result('invalid_number', false, true);
    case 403:
      return result('carrier_error', false);
    case 401:
    case 407:
    case 482:
    case 483:
      return result('carrier_error', true);
    case 488:
    case 606:
      return result('failed', true);
  }
  if (status >= 500 && status <= 599) return result('carrier_error', true);
  if (status >= 300 && status <= 399) return result('failed', false);
  return result('failed', false);
}

export function shouldFailover(status: SipFinal, context: ClassifyContext = {}): boolean {
  return classifySipFinal(status, context).failover;
}

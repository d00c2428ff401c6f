/** How a call attempt ended: the dialer reports it, the CRM's call records store it. */
export const CALL_OUTCOMES = [
  'answered',
  'busy',
  'no_answer',
  'failed',
  'abandoned',
  'invalid_number',
  'carrier_error',
  'machine',
  'canceled',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

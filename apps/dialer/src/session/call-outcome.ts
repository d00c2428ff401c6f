export { CALL_OUTCOMES } from '@app/domain';
export type { CallOutcome } from '@app/domain';

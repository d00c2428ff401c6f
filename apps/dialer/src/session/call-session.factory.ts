import { OutboundCallDeps, OutboundCallParams, OutboundCallSession } from './outbound-call.session';

/** Builds call sessions with the process's adapters; the runner and preview dialling share it. */
export class CallSessionFactory {
  constructor(private readonly deps: OutboundCallDeps) {}

  create(params: OutboundCallParams): OutboundCallSession {
    return new OutboundCallSession(params, this.deps);
  }
}

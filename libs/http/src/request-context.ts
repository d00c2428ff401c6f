import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is calling, from where, under which request id: set once per request, read anywhere below it. */
export interface RequestActor {
  type: 'user' | 'service';
  id: string;
  role: string;
  sessionId?: string;
}

export interface RequestContextData {
  requestId: string;
  sourceIp: string | null;
  actor?: RequestActor;
}

const storage = new AsyncLocalStorage<RequestContextData>();

export const RequestContext = {
  run<T>(data: RequestContextData, fn: () => T): T {
    return storage.run(data, fn);
  },
  current(): RequestContextData | undefined {
    return storage.getStore();
  },
  setActor(actor: RequestActor): void {
    const store = storage.getStore();
    if (store) store.actor = actor;
  },
};

/** Where an agent's phone can be reached (table sip_registrations; one per agent). */
export interface Registration {
  userId: string;
  /** The Contact URI the phone registered. */
  contact: string;
  /** "ip:port" the REGISTER came from; behind NAT this, not the Contact, reaches the phone. */
  sourceAddress: string;
  /** udp, tcp, tls or wss, as drachtio received it. */
  transport: string;
  userAgent: string | null;
  registeredAt: Date;
  expiresAt: Date;
}

export abstract class RegistrationRepository {
  /** Records the agent's current binding, replacing any earlier one. */
  abstract upsert(registration: Registration): Promise<void>;
  /** Removes the agent's binding; with `contact`, only if it is that binding (a stale phone's un-REGISTER leaves a newer one alone). */
  abstract remove(userId: string, contact?: string): Promise<boolean>;
  /** The agent's binding unless it has expired at `now`. */
  abstract findContact(userId: string, now: Date): Promise<Registration | null>;
  /** Deletes bindings expired at `now`; returns how many. */
  abstract expire(now: Date): Promise<number>;
}

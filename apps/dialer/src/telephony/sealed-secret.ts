import { inspect } from 'node:util';

const SEALED = '[sealed]';

/**
 * A secret still encrypted at rest (a trunk's digest password, an agent's SIP secret): it is opened,
 * through the KMS, only at the moment it is needed, and prints as "[sealed]" everywhere else.
 */
export class SealedSecret {
  readonly #open: () => Promise<string>;

  constructor(open: () => Promise<string>) {
    this.#open = open;
  }

  /** Decrypts; use the value at once and keep no copy. */
  reveal(): Promise<string> {
    return this.#open();
  }

  toString(): string {
    return SEALED;
  }

  toJSON(): string {
    return SEALED;
  }

  [inspect.custom](): string {
    return SEALED;
  }
}

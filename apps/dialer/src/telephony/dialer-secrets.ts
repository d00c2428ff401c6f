/**
 * The KMS key that protects the dialer's SIP secrets (trunk digest passwords, agents' SIP secrets).
 * Each ciphertext's context names its table, row and column, so one copied elsewhere does not open.
 */
export const DIALER_SECRETS_KEY = 'dialer-secrets';

export * from './aead';
export * from './kms.config';
export * from './kms.repository';
export * from './local-kms.repository';
export * from './password-hasher';
export * from './totp';
export * from './base32';
export * from './blind-index';

export * from './pacing.types';
export * from './pacing';
export * from './pacing-statistics';
export * from './binomial';
export * from './simulation';

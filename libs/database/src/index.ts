export * from './data-source.options';
export * from './database.config';
export * from './affected-rows';
export * from './lock-retry';

export * from './config.loader';
export * from './env.decorator';
export * from './secret';

export * from './request-context';
export * from './domain.exception';
export * from './http.config';
export * from './configure-app';
export * from './accept-content-type.decorator';
export * from './global-exception.filter';
export * from './content-type.interceptor';
export * from './platform-http.module';

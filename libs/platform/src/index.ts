export * from './bootstrap-http';
export * from './domain-error';
export * from './eventually';
export * from './error-body';
export * from './http-exception.filter';
export * from './http-guards';
export * from './validation';

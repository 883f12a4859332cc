export * from './logger';
export * from './logger.module';
export * from './request-context';
export * from './metrics';
export * from './read-model';

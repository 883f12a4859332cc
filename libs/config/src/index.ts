export * from './command-line';
export * from './config.module';
export * from './env';
export * from './load-config';
export * from './repo-root';
export * from './gateway-client.env';
export * from './running-stack';

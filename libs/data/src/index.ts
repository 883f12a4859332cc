export * from './mongo-errors';
export * from './mongo.module';
export * from './store-health';
export * from './tokens';

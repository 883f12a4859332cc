export * from './indexes';
export * from './mongo-errors';
export * from './mongo.module';
export * from './outbox';
export * from './store-health';
export * from './tokens';
export * from './versioned';

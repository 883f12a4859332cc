export * from './event-log';
export * from './event-log.env';
export * from './jetstream-event-log';
export * from './outbox-signal';
export * from './consume';

export * from './events';
export * from './paging';
export * from './post';

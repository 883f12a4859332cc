import 'reflect-metadata';

export * from './events';
export * from './names';
export * from './paging';
export * from './post';
export * from './tags';
export * from './patterns';
export * from './relayed-events';
export * from './search';

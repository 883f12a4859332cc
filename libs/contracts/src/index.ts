import 'reflect-metadata';

export * from './engagement';
export * from './events';
export * from './names';
export * from './paging';
export * from './post';
export * from './tags';
export * from './preferences';
export * from './recommendations';
export * from './patterns';
export * from './relayed-events';
export * from './search';
export * from './http-bridge';

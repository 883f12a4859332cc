export * from './registry';
export * from './derived-files';

export * from './post-fields';
export * from './post-order';
export * from './ranking';
export * from './recommendation-rule';
export * from './search-rule';
export * from './tag-rule';
export * from './vocabulary';
export * from './top-k';
